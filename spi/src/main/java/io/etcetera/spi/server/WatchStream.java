package io.etcetera.spi.server;

import io.etcetera.spi.etcdserverpb.WatchRequest;

/**
 * One open watch stream (etcd's {@code serverWatchStream}): a set of watchers sharing one
 * ordered flow of {@code WatchResponse}s to a {@link WatchSink}. Opened by
 * {@link WatchService#open}.
 *
 * <p>Semantics are etcd 3.4's: watch ids are per stream, chosen by the client
 * (any non-zero {@code watch_id}) or assigned from 0 upwards skipping ids in use
 * ({@code watch_id} 0 = auto); a create answers {@code created=true} with the id, or
 * {@code created=true, canceled=true, watch_id=-1} and a {@code cancel_reason} for a duplicate id
 * or an empty range; a cancel of a known id answers {@code canceled=true}, of an unknown id
 * nothing; a progress request answers a header-only response with {@code watch_id=-1}. The
 * "created" response of a watcher always precedes its events.
 *
 * <p>Thread-safe: {@link #request}, {@link #sinkReady} and {@link #close} may be called from any
 * thread and never block on the sink.
 */
public interface WatchStream extends AutoCloseable {

    /**
     * Handles one client request: {@code create_request}, {@code cancel_request} or
     * {@code progress_request}; a request with none of them is ignored, as etcd does. Answers go
     * to the sink asynchronously, in order.
     */
    void request(WatchRequest request);

    /**
     * Tells the stream that its sink may accept responses again after {@link WatchSink#isReady()}
     * returned {@code false} (gRPC's on-ready signal). Calling it when nothing is pending is
     * harmless.
     */
    void sinkReady();

    /**
     * Cancels every watcher of the stream and frees its buffers. No delivery starts after this
     * returns (one that was in progress may still finish). Idempotent; the sink is not told.
     */
    @Override
    void close();
}
