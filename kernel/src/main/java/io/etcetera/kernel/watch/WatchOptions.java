package io.etcetera.kernel.watch;

/**
 * The limits and timings of the watch machinery, with etcd 3.4's values as defaults.
 *
 * @param progressNotifyIntervalMs how often, in ms, a watcher created with
 *     {@code progress_notify} that received no event since the last tick is sent an empty
 *     response carrying the current revision (etcd {@code progressReportInterval}, 10 min;
 *     {@code --experimental-watch-progress-notify-interval})
 * @param maxStreamEventResponses the most event responses buffered per stream before its watchers
 *     become victims (etcd {@code chanBufLen}, 128)
 * @param maxStreamEventBytes the most key-value bytes buffered per stream before its watchers
 *     become victims; one response is always accepted into an empty buffer, whatever its size
 * @param maxStreamControlResponses the most control responses (created, canceled, progress)
 *     buffered per stream; a client that sends more requests without reading the answers has its
 *     stream ended
 * @param fragmentBytes the response size, in bytes, above which a watcher created with
 *     {@code fragment} gets its events split across responses ({@code --max-request-bytes} plus
 *     gRPC's 512 KiB overhead, as etcd's {@code sendFragments})
 * @param syncIntervalMs how often, in ms, unsynced watchers are caught up from history when
 *     nothing signals work (etcd {@code syncWatchersLoop}, 100 ms)
 * @param victimRetryMs how often, in ms, victims' pending events are retried (etcd
 *     {@code syncVictimsLoop}, 10 ms)
 * @param maxWatchersPerSync the most unsynced watchers caught up in one history read (etcd
 *     {@code maxWatchersPerSync}, 512)
 * @param syncBatchBytes the bytes of history, in bytes, read per catch-up round; the read stops at
 *     the first revision boundary past it
 */
public record WatchOptions(
        long progressNotifyIntervalMs,
        int maxStreamEventResponses,
        long maxStreamEventBytes,
        int maxStreamControlResponses,
        long fragmentBytes,
        long syncIntervalMs,
        long victimRetryMs,
        int maxWatchersPerSync,
        long syncBatchBytes) {

    /** etcd's default progress notify interval: 10 minutes, in ms. */
    public static final long DEFAULT_PROGRESS_NOTIFY_INTERVAL_MS = 10 * 60 * 1000L;
    /** etcd's {@code chanBufLen}: responses buffered per watch stream. */
    public static final int DEFAULT_MAX_STREAM_EVENT_RESPONSES = 128;
    /** Key-value bytes buffered per watch stream: 16 MiB. */
    public static final long DEFAULT_MAX_STREAM_EVENT_BYTES = 16L * 1024 * 1024;
    /** Control responses buffered per watch stream (etcd blocks its receive loop at 16). */
    public static final int DEFAULT_MAX_STREAM_CONTROL_RESPONSES = 1024;
    /** gRPC framing allowance added to {@code --max-request-bytes}, in bytes (etcd {@code grpcOverheadBytes}). */
    public static final long GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** etcd's {@code syncWatchersLoop} period, in ms. */
    public static final long DEFAULT_SYNC_INTERVAL_MS = 100;
    /** etcd's {@code syncVictimsLoop} period, in ms. */
    public static final long DEFAULT_VICTIM_RETRY_MS = 10;
    /** etcd's {@code maxWatchersPerSync}. */
    public static final int DEFAULT_MAX_WATCHERS_PER_SYNC = 512;
    /** History read per catch-up round: 1 MiB. */
    public static final long DEFAULT_SYNC_BATCH_BYTES = 1024 * 1024;

    public WatchOptions {
        positive("progressNotifyIntervalMs", progressNotifyIntervalMs);
        positive("maxStreamEventResponses", maxStreamEventResponses);
        positive("maxStreamEventBytes", maxStreamEventBytes);
        positive("maxStreamControlResponses", maxStreamControlResponses);
        positive("fragmentBytes", fragmentBytes);
        positive("syncIntervalMs", syncIntervalMs);
        positive("victimRetryMs", victimRetryMs);
        positive("maxWatchersPerSync", maxWatchersPerSync);
        positive("syncBatchBytes", syncBatchBytes);
    }

    /** etcd's defaults for a member whose {@code --max-request-bytes} is {@code maxRequestBytes}. */
    public static WatchOptions defaults(long maxRequestBytes) {
        return new WatchOptions(DEFAULT_PROGRESS_NOTIFY_INTERVAL_MS, DEFAULT_MAX_STREAM_EVENT_RESPONSES,
                DEFAULT_MAX_STREAM_EVENT_BYTES, DEFAULT_MAX_STREAM_CONTROL_RESPONSES,
                maxRequestBytes + GRPC_OVERHEAD_BYTES, DEFAULT_SYNC_INTERVAL_MS, DEFAULT_VICTIM_RETRY_MS,
                DEFAULT_MAX_WATCHERS_PER_SYNC, DEFAULT_SYNC_BATCH_BYTES);
    }

    /** These options with another progress notify interval, in ms. */
    public WatchOptions withProgressNotifyIntervalMs(long intervalMs) {
        return new WatchOptions(intervalMs, maxStreamEventResponses, maxStreamEventBytes, maxStreamControlResponses,
                fragmentBytes, syncIntervalMs, victimRetryMs, maxWatchersPerSync, syncBatchBytes);
    }

    /** These options with other per-stream buffer limits (responses, bytes). */
    public WatchOptions withStreamBuffer(int eventResponses, long eventBytes) {
        return new WatchOptions(progressNotifyIntervalMs, eventResponses, eventBytes, maxStreamControlResponses,
                fragmentBytes, syncIntervalMs, victimRetryMs, maxWatchersPerSync, syncBatchBytes);
    }

    /** These options with another fragment size, in bytes. */
    public WatchOptions withFragmentBytes(long bytes) {
        return new WatchOptions(progressNotifyIntervalMs, maxStreamEventResponses, maxStreamEventBytes,
                maxStreamControlResponses, bytes, syncIntervalMs, victimRetryMs, maxWatchersPerSync, syncBatchBytes);
    }

    /** These options with another history read size per catch-up round, in bytes. */
    public WatchOptions withSyncBatchBytes(long bytes) {
        return new WatchOptions(progressNotifyIntervalMs, maxStreamEventResponses, maxStreamEventBytes,
                maxStreamControlResponses, fragmentBytes, syncIntervalMs, victimRetryMs, maxWatchersPerSync, bytes);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
