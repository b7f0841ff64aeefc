package io.etcetera.kernel.watch;

import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.server.WatchSink;
import io.etcetera.spi.server.WatchStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * The kernel's {@link WatchService}: etcd's {@code v3rpc.watchServer} over the
 * {@link WatchableStore}. It owns the watchable store (wired as the {@link MvccStore}'s change
 * feed by {@link #start}), the delivery threads ({@value #DELIVERY_THREADS_MIN} or more,
 * {@code etcetera-watch-send-N}, which run at most one drain per stream at a time) and the open
 * streams.
 *
 * <p>{@link #close} ends every open stream with {@code etcdserver: server stopped} and stops the
 * threads. Thread-safe.
 */
public final class WatchServer implements WatchService, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WatchServer.class.getName());

    /** The fewest delivery threads. */
    static final int DELIVERY_THREADS_MIN = 2;
    /** How long, in ms, {@link #close} waits for deliveries in progress. */
    static final long CLOSE_WAIT_MS = 2_000;

    private final MvccStore mvcc;
    private final WatchableStore store;
    private final ResponseRenderer renderer;
    private final WatchOptions options;
    private final ExecutorService delivery;
    private final Set<ServerWatchStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A watch service over {@code mvcc}; nothing runs until {@link #start}.
     *
     * @param headers a full response header (cluster_id, member_id, raft_term) for a revision
     */
    public WatchServer(MvccStore mvcc, LongFunction<ResponseHeader> headers, WatchOptions options) {
        this.mvcc = Objects.requireNonNull(mvcc, "mvcc");
        this.options = Objects.requireNonNull(options, "options");
        this.store = new WatchableStore(mvcc, options);
        this.renderer = new ResponseRenderer(mvcc, headers, options.fragmentBytes());
        AtomicInteger count = new AtomicInteger();
        this.delivery = Executors.newFixedThreadPool(
                Math.max(DELIVERY_THREADS_MIN, Runtime.getRuntime().availableProcessors()), task -> {
                    Thread thread = new Thread(task, "etcetera-watch-send-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Subscribes to the store's change feed and starts the sync thread. Call before the apply loop
     * applies anything, so no committed write is missed.
     */
    public void start() {
        mvcc.changeFeed(store);
        store.start();
    }

    @Override
    public WatchStream open(WatchSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (closed) {
            throw EtcdError.STOPPED.exception();
        }
        ServerWatchStream[] created = new ServerWatchStream[1];
        Outbox outbox = new Outbox(sink, delivery, renderer, options, store::signal);
        created[0] = new ServerWatchStream(store, outbox, () -> streams.remove(created[0]));
        streams.add(created[0]);
        if (closed) {
            created[0].close();
            throw EtcdError.STOPPED.exception();
        }
        return created[0];
    }

    /** The number of open streams. */
    public int openStreams() {
        return streams.size();
    }

    /** The watchable store, for tests in this package. */
    /**
     * Re-syncs every watcher after the MVCC store was reloaded from a snapshot: watchers catch up
     * from the new store's history, or are canceled with its compact revision. Thread-safe.
     */
    public void storeReloaded() {
        store.storeReloaded();
    }

    WatchableStore store() {
        return store;
    }

    /** Ends every stream with {@code etcdserver: server stopped}, stops the threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        mvcc.changeFeed(io.etcetera.kernel.mvcc.ChangeFeed.NONE);
        List<ServerWatchStream> open = new ArrayList<>(streams);
        for (ServerWatchStream stream : open) {
            stream.outbox().fail(EtcdError.STOPPED.exception());
        }
        store.close();
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "watch deliveries still running after {0} ms; abandoning them", CLOSE_WAIT_MS);
                delivery.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerWatchStream stream : open) {
            stream.close();
        }
    }
}
