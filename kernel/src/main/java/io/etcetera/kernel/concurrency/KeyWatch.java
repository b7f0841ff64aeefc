package io.etcetera.kernel.concurrency;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.server.WatchSink;
import io.etcetera.spi.server.WatchStream;

/**
 * One watcher on the kernel's Watch facade, as etcd's in-process client watches: a key (or a
 * range) from a start revision. Responses with events go to the {@link Listener}; a watcher the
 * kernel cancels (compaction) or a stream it ends is a failure. Deliveries are serialised and
 * stop once {@link #close()} is called. Thread-safe.
 */
final class KeyWatch implements WatchSink, AutoCloseable {

    /** What a watch reports; called on the kernel's watch delivery threads, one call at a time. */
    interface Listener {
        /** A response carrying at least one event. */
        void onEvents(WatchResponse response);

        /** The watch failed; nothing follows. */
        void onFailure(EtcdException failure);
    }

    private final Listener listener;
    private volatile WatchStream stream;
    // guarded by this
    private boolean closed;

    private KeyWatch(Listener listener) {
        this.listener = listener;
    }

    /**
     * Watches {@code [key, rangeEnd)} ({@code rangeEnd} empty: the key alone) from
     * {@code startRevision}.
     *
     * @throws EtcdException STOPPED when the member is stopping
     */
    static KeyWatch open(WatchService watches, ByteString key, ByteString rangeEnd, long startRevision, Listener listener) {
        KeyWatch watch = new KeyWatch(listener);
        WatchStream stream = watches.open(watch);
        watch.stream = stream;
        stream.request(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(key).setRangeEnd(rangeEnd).setStartRevision(startRevision)).build());
        return watch;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void onResponse(WatchResponse response) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        if (response.getCanceled()) {
            fail(response.getCompactRevision() > 0 ? EtcdError.COMPACTED.exception() : EtcdError.WATCH_CANCELED.exception());
        } else if (response.getEventsCount() > 0) {
            listener.onEvents(response);
        }
    }

    @Override
    public void onError(EtcdException error) {
        fail(error);
    }

    private void fail(EtcdException failure) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        close();
        listener.onFailure(failure);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        WatchStream opened = stream;
        if (opened != null) {
            opened.close();
        }
    }
}
