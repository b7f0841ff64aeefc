package io.etcetera.kernel.watch;

import io.etcetera.spi.etcdserverpb.WatchCancelRequest;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.server.WatchStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel side of one client watch stream: etcd's {@code serverWatchStream.recvLoop}
 * ({@code etcdserver/api/v3rpc/watch.go}) with {@code mvcc.watchStream} ({@code mvcc/watcher.go}).
 *
 * <p>Watch ids, as etcd 3.4 assigns them: a create with {@code watch_id} 0 ({@code AutoWatchID})
 * takes the stream's next id, counting from 0 and skipping ids in use; any other id is used as
 * given, and one already in use is refused with {@code created=true, canceled=true,
 * watch_id=-1, cancel_reason="mvcc: duplicate watch ID provided on the WatchStream"}. A range whose
 * end is not after its key is refused the same way with {@code "mvcc: watcher range is empty"}.
 * The created header carries the revision the watch was registered at. A cancel of an unknown id
 * gets no answer (etcd ignores {@code ErrWatcherNotExist}); a progress request gets a header with
 * the current revision and {@code watch_id=-1}. A watcher canceled for compaction keeps its id
 * until the client cancels it, as in etcd.
 *
 * <p>Thread-safe; requests are handled in the order they are passed in.
 */
final class ServerWatchStream implements WatchStream {

    /** etcd's {@code clientv3.InvalidWatchID}. */
    static final long INVALID_WATCH_ID = -1;
    /** etcd's {@code clientv3.AutoWatchID}. */
    static final long AUTO_WATCH_ID = 0;
    /** etcd's {@code mvcc.ErrWatcherDuplicateID} text. */
    static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
    /** etcd's {@code mvcc.ErrEmptyWatcherRange} text. */
    static final String EMPTY_RANGE = "mvcc: watcher range is empty";

    private final WatchableStore store;
    private final Outbox outbox;
    private final Runnable onClose;

    // guarded by this
    private final Map<Long, Watcher> watchers = new HashMap<>();
    private long nextId;
    private boolean closed;

    /** @param onClose told once when the stream closes (the service forgets it) */
    ServerWatchStream(WatchableStore store, Outbox outbox, Runnable onClose) {
        this.store = store;
        this.outbox = outbox;
        this.onClose = onClose;
        // the kernel ended the stream (stopping, or a client that does not read): free its watchers
        outbox.onEnded(this::close);
    }

    Outbox outbox() {
        return outbox;
    }

    @Override
    public void request(WatchRequest request) {
        switch (request.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(request.getCreateRequest());
            case CANCEL_REQUEST -> cancel(request.getCancelRequest());
            case PROGRESS_REQUEST -> store.answer(outbox,
                    revision -> ResponseRenderer.at(revision).setWatchId(INVALID_WATCH_ID).build());
            case REQUESTUNION_NOT_SET -> {
                // etcd ignores a request it does not understand rather than end the stream
            }
        }
    }

    private synchronized void create(WatchCreateRequest create) {
        if (closed) {
            return;
        }
        WatchRange range = WatchRange.of(create.getKey(), create.getRangeEnd());
        long id = create.getWatchId();
        String refusal = null;
        if (range.isEmpty()) {
            refusal = EMPTY_RANGE;
        } else if (id == AUTO_WATCH_ID) {
            while (watchers.containsKey(nextId)) {
                nextId++;
            }
            id = nextId++;
        } else if (watchers.containsKey(id)) {
            refusal = DUPLICATE_ID;
        }
        if (refusal != null) {
            String reason = refusal;
            store.answer(outbox, revision -> ResponseRenderer.at(revision)
                    .setWatchId(INVALID_WATCH_ID).setCreated(true).setCanceled(true).setCancelReason(reason).build());
            return;
        }
        boolean noPut = false;
        boolean noDelete = false;
        for (WatchCreateRequest.FilterType filter : create.getFiltersList()) {
            switch (filter) {
                case NOPUT -> noPut = true;
                case NODELETE -> noDelete = true;
                case UNRECOGNIZED -> {
                    // etcd skips unknown filters
                }
            }
        }
        Watcher watcher = new Watcher(id, range, noPut, noDelete, create.getPrevKv(), create.getFragment(),
                create.getProgressNotify(), outbox);
        watchers.put(id, watcher);
        long watchId = id;
        store.add(watcher, create.getStartRevision(),
                revision -> ResponseRenderer.at(revision).setWatchId(watchId).setCreated(true).build());
    }

    private synchronized void cancel(WatchCancelRequest cancel) {
        if (closed) {
            return;
        }
        Watcher watcher = watchers.remove(cancel.getWatchId());
        if (watcher == null) {
            return;
        }
        store.cancel(watcher);
        store.answer(outbox, revision -> ResponseRenderer.at(revision)
                .setWatchId(cancel.getWatchId()).setCanceled(true).build());
    }

    @Override
    public void sinkReady() {
        outbox.sinkReady();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Watcher watcher : watchers.values()) {
                store.cancel(watcher);
            }
            watchers.clear();
        }
        outbox.close();
        onClose.run();
    }

    /** The number of watchers open on this stream. */
    synchronized int watcherCount() {
        return watchers.size();
    }
}
