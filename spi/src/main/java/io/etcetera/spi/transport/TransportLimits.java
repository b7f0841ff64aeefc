package io.etcetera.spi.transport;

/**
 * The limits a peer transport works within. Every queue and wait is bounded by one of them.
 *
 * @param maxQueuedMessagesPerPeer messages waiting to be written to one peer; a message sent
 *     while the queue is full is dropped and the peer reported unreachable (etcd's
 *     {@code streamBufSize}, 4096)
 * @param maxMessageBytes the largest Raft message, in bytes; larger ones are refused by the sender
 *     and make the receiver close the connection
 * @param maxBatchMessages messages written before one flush (one system call) at most
 * @param dialTimeoutMs time to open a TCP connection and finish the handshake, in ms (etcd's
 *     {@code --dial-timeout} for peers, 1 s)
 * @param minReconnectBackoffMs wait before the first redial after a failure, in ms; doubled after
 *     every further failure
 * @param maxReconnectBackoffMs the longest wait between redials, in ms
 * @param pingIntervalMs interval between round-trip probes on a connection, in ms; a connection
 *     that answers no probe for {@code 3 * pingIntervalMs} is closed and redialled
 * @param snapshotChunkBytes bytes of snapshot data per frame
 * @param snapshotStallTimeoutMs time a snapshot transfer may make no progress (no chunk read or
 *     written, no acknowledgement) before it fails, in ms
 * @param maxConcurrentSnapshots snapshot transfers in flight at once, in each direction; more are
 *     failed (outbound) or refused (inbound)
 */
public record TransportLimits(int maxQueuedMessagesPerPeer, int maxMessageBytes, int maxBatchMessages,
                              long dialTimeoutMs, long minReconnectBackoffMs, long maxReconnectBackoffMs,
                              long pingIntervalMs, int snapshotChunkBytes, long snapshotStallTimeoutMs,
                              int maxConcurrentSnapshots) {

    /** etcd's per-peer stream buffer ({@code rafthttp.streamBufSize}). */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES_PER_PEER = 4096;
    /** Room for an append of etcd's default {@code MaxSizePerMsg} (1 MiB) plus one large entry. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** etcd's stream writer flushes at least every {@code streamBufSize / 2} messages. */
    public static final int DEFAULT_MAX_BATCH_MESSAGES = 2048;
    /** etcd's default peer dial timeout. */
    public static final long DEFAULT_DIAL_TIMEOUT_MS = 1_000;
    /** etcd's stream reader redials every 100 ms. */
    public static final long DEFAULT_MIN_RECONNECT_BACKOFF_MS = 100;
    /** Bounded so that a restarted peer is found again within about a second. */
    public static final long DEFAULT_MAX_RECONNECT_BACKOFF_MS = 1_600;
    /** etcd's stream heartbeat: {@code ConnReadTimeout / 3}. */
    public static final long DEFAULT_PING_INTERVAL_MS = 5_000 / 3;
    /** 64 KiB frames of snapshot data. */
    public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 64 * 1024;
    /** etcd's {@code snapResponseReadTimeout}-like bound, longer because it covers disk writes too. */
    public static final long DEFAULT_SNAPSHOT_STALL_TIMEOUT_MS = 30_000;
    /** Transfers in flight in each direction. */
    public static final int DEFAULT_MAX_CONCURRENT_SNAPSHOTS = 4;

    /**
     * @throws IllegalArgumentException when a count, size or time is not positive, or the
     *     backoff bounds are inverted
     */
    public TransportLimits {
        requirePositive("maxQueuedMessagesPerPeer", maxQueuedMessagesPerPeer);
        requirePositive("maxMessageBytes", maxMessageBytes);
        requirePositive("maxBatchMessages", maxBatchMessages);
        requirePositive("dialTimeoutMs", dialTimeoutMs);
        requirePositive("minReconnectBackoffMs", minReconnectBackoffMs);
        requirePositive("maxReconnectBackoffMs", maxReconnectBackoffMs);
        requirePositive("pingIntervalMs", pingIntervalMs);
        requirePositive("snapshotChunkBytes", snapshotChunkBytes);
        requirePositive("snapshotStallTimeoutMs", snapshotStallTimeoutMs);
        requirePositive("maxConcurrentSnapshots", maxConcurrentSnapshots);
        if (maxReconnectBackoffMs < minReconnectBackoffMs) {
            throw new IllegalArgumentException("maxReconnectBackoffMs " + maxReconnectBackoffMs
                    + " is below minReconnectBackoffMs " + minReconnectBackoffMs);
        }
    }

    /** The defaults, each a named constant of this record. */
    public static TransportLimits defaults() {
        return new TransportLimits(DEFAULT_MAX_QUEUED_MESSAGES_PER_PEER, DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_MAX_BATCH_MESSAGES, DEFAULT_DIAL_TIMEOUT_MS, DEFAULT_MIN_RECONNECT_BACKOFF_MS,
                DEFAULT_MAX_RECONNECT_BACKOFF_MS, DEFAULT_PING_INTERVAL_MS, DEFAULT_SNAPSHOT_CHUNK_BYTES,
                DEFAULT_SNAPSHOT_STALL_TIMEOUT_MS, DEFAULT_MAX_CONCURRENT_SNAPSHOTS);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
