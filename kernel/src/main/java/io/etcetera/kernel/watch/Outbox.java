package io.etcetera.kernel.watch;

import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.etcetera.spi.server.WatchSink;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound buffer of one watch stream and its delivery to the {@link WatchSink} (etcd's
 * {@code watchStream.ch} plus {@code serverWatchStream.sendLoop}).
 *
 * <p><b>Bounds.</b> Event responses (events, progress notifications, compaction cancels) are
 * accepted only while fewer than {@link WatchOptions#maxStreamEventResponses()} are buffered and
 * their key-value bytes stay within {@link WatchOptions#maxStreamEventBytes()} (an empty buffer
 * takes any one response); a refused offer makes the watcher a victim in the store, which retries
 * later. Control responses (created, canceled, progress-request answers) are never refused, but
 * more than {@link WatchOptions#maxStreamControlResponses()} of them buffered ends the stream
 * with {@code etcdserver: too many requests}: the client sends requests without reading answers.
 *
 * <p><b>Delivery.</b> A drain task on the delivery executor hands responses to the sink in FIFO
 * order while the sink is ready; at most one drain task runs per outbox at a time, so sink calls
 * are serialised. Event responses are rendered at delivery ({@link ResponseRenderer}: header,
 * prev_kv, fragments) and dropped if their watcher was canceled meanwhile.
 *
 * <p>Thread-safe: offers come from the apply thread and the sync thread (under the store's lock,
 * this class's lock nests inside it), requests from the front end's threads.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    /** A buffered response. */
    private sealed interface Entry permits Control, Events { }

    /** A response to send as it is, but for the header's cluster, member and term. */
    private record Control(WatchResponse response, boolean counted) implements Entry { }

    /** Events (or none: a progress notification) for one watcher, as of {@code revision}. */
    private record Events(Watcher watcher, long revision, List<Event> events, long bytes) implements Entry { }

    private final WatchSink sink;
    private final Executor executor;
    private final ResponseRenderer renderer;
    private final WatchOptions options;
    private final Runnable onSpaceFreed;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile Runnable onEnded = () -> { };

    // guarded by this
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int eventResponses;
    private long eventBytes;
    private int controlResponses;
    private boolean refusedSinceDrain;
    private boolean closed;
    private EtcdException failure;

    /**
     * @param onSpaceFreed called (on a delivery thread) when room appears after an offer was refused
     */
    Outbox(WatchSink sink, Executor executor, ResponseRenderer renderer, WatchOptions options, Runnable onSpaceFreed) {
        this.sink = sink;
        this.executor = executor;
        this.renderer = renderer;
        this.options = options;
        this.onSpaceFreed = onSpaceFreed;
    }

    /**
     * Buffers {@code events} for {@code watcher} with header revision {@code revision}; an empty
     * list is a progress notification. Never blocks.
     *
     * @return false when the buffer is full (nothing buffered) or the outbox is closed
     */
    boolean offerEvents(Watcher watcher, long revision, List<Event> events) {
        long bytes = 0;
        for (Event event : events) {
            bytes += event.getKv().getSerializedSize();
        }
        return offerBounded(new Events(watcher, revision, events, bytes), bytes);
    }

    /**
     * Buffers the cancel of {@code watcher} for compaction: {@code canceled=true},
     * {@code compact_revision}, header revision 0 as etcd sends it. Bounded like events.
     */
    boolean offerCompacted(Watcher watcher, long compactRevision) {
        WatchResponse response = WatchResponse.newBuilder()
                .setWatchId(watcher.id()).setCanceled(true).setCompactRevision(compactRevision).build();
        return offerBounded(new Control(response, true), 0);
    }

    /** Buffers a control response; never refused (see the class comment for the limit). */
    void offerControl(WatchResponse response) {
        synchronized (this) {
            if (closed || failure != null) {
                return;
            }
            if (controlResponses >= options.maxStreamControlResponses()) {
                failLocked(io.etcetera.spi.error.EtcdError.REQUEST_TOO_MANY_REQUESTS.exception());
            } else {
                queue.add(new Control(response, false));
                controlResponses++;
            }
        }
        scheduleDrain();
    }

    /** Ends the stream with {@code error}: the buffer is dropped and the sink told once. */
    void fail(EtcdException error) {
        synchronized (this) {
            if (closed || failure != null) {
                return;
            }
            failLocked(error);
        }
        scheduleDrain();
    }

    /** Drops the buffer; nothing more is delivered. Idempotent. */
    synchronized void close() {
        closed = true;
        clearLocked();
    }

    /** Sets what runs (on a delivery thread) once the sink was told the stream ended. */
    void onEnded(Runnable action) {
        onEnded = action;
    }

    /** The front end says the sink may be ready again. */
    void sinkReady() {
        scheduleDrain();
    }

    /** Event responses buffered now (for tests and metrics). */
    synchronized int bufferedEventResponses() {
        return eventResponses;
    }

    /** Key-value bytes buffered now (for tests and metrics). */
    synchronized long bufferedEventBytes() {
        return eventBytes;
    }

    private boolean offerBounded(Entry entry, long bytes) {
        synchronized (this) {
            if (closed || failure != null) {
                return false;
            }
            boolean fits = eventResponses == 0
                    || (eventResponses < options.maxStreamEventResponses()
                            && eventBytes + bytes <= options.maxStreamEventBytes());
            if (!fits) {
                refusedSinceDrain = true;
                return false;
            }
            queue.add(entry);
            eventResponses++;
            eventBytes += bytes;
        }
        scheduleDrain();
        return true;
    }

    private void failLocked(EtcdException error) {
        failure = error;
        clearLocked();
    }

    private void clearLocked() {
        queue.clear();
        eventResponses = 0;
        eventBytes = 0;
        controlResponses = 0;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the service is stopping; it closes every outbox itself
                drainScheduled.set(false);
            }
        }
    }

    private void drain() {
        boolean freed = false;
        try {
            while (true) {
                Entry entry;
                EtcdException error = null;
                boolean ready = sink.isReady();
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    if (failure != null) {
                        error = failure;
                        closed = true;
                        entry = null;
                    } else {
                        entry = ready ? queue.poll() : null;
                        if (entry == null) {
                            break;
                        }
                        account(entry);
                        if (refusedSinceDrain) {
                            refusedSinceDrain = false;
                            freed = true;
                        }
                    }
                }
                if (error != null) {
                    try {
                        sink.onError(error);
                    } finally {
                        onEnded.run();
                    }
                    return;
                }
                deliver(entry);
            }
        } catch (RuntimeException e) {
            // the sink refuses (its call was cancelled under us): nothing more can be sent
            LOG.log(Level.DEBUG, "watch stream delivery failed; closing the stream's outbox", e);
            close();
        } finally {
            drainScheduled.set(false);
            if (freed) {
                onSpaceFreed.run();
            }
        }
        boolean more;
        synchronized (this) {
            more = !closed && (failure != null || !queue.isEmpty());
        }
        if (more && (failureQueued() || sink.isReady())) {
            scheduleDrain();
        }
    }

    private synchronized boolean failureQueued() {
        return failure != null;
    }

    private void account(Entry entry) {
        if (entry instanceof Events events) {
            eventResponses--;
            eventBytes -= events.bytes();
        } else if (entry instanceof Control control) {
            if (control.counted()) {
                eventResponses--;
            } else {
                controlResponses--;
            }
        }
    }

    private void deliver(Entry entry) {
        if (entry instanceof Control control) {
            sink.onResponse(renderer.stamp(control.response()));
            return;
        }
        Events events = (Events) entry;
        Watcher watcher = events.watcher();
        if (watcher.isCanceled()) {
            return;
        }
        if (!events.events().isEmpty()) {
            watcher.progressDue(false);
        }
        for (WatchResponse response : renderer.render(watcher, events.revision(), events.events())) {
            sink.onResponse(response);
        }
    }
}
