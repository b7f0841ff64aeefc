package io.etcetera.spi.server;

import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.WatchResponse;

/**
 * Where a {@link WatchStream} delivers its responses: the front end's side of one client stream
 * (for gRPC, the server call's {@code StreamObserver}).
 *
 * <p><b>Threads.</b> The kernel calls {@link #onResponse} and {@link #onError} from its own
 * delivery threads, never from the apply loop, and never two calls at once for one sink (calls
 * are serialised, with happens-before between them), so a non-thread-safe observer may be used
 * directly. {@link #isReady()} may be called from any thread.
 *
 * <p><b>Flow control.</b> The kernel delivers only while {@link #isReady()} is {@code true}; when
 * it turns {@code false} the kernel stops and waits for {@link WatchStream#sinkReady()}. A sink
 * that always answers {@code true} must buffer what it is given itself; the kernel's own buffer
 * per stream is bounded (see {@link WatchService}).
 */
public interface WatchSink {

    /**
     * Whether the consumer can take another response now without queueing much (gRPC:
     * {@code ServerCallStreamObserver.isReady()}, false once about 32 KiB are buffered).
     */
    boolean isReady();

    /** Delivers one response, in stream order. Must not block for long. */
    void onResponse(WatchResponse response);

    /**
     * The kernel ended the stream: the member is stopping ({@code STOPPED}) or the client sent
     * more requests than the stream could answer without reading them. No call follows.
     */
    void onError(EtcdException error);
}
