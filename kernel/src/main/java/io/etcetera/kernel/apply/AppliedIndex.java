package io.etcetera.kernel.apply;

import io.etcetera.spi.error.EtcdError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The index of the last log entry applied to the state machine, and futures waiting for it to
 * reach a given index (etcd's {@code pkg/wait.WaitTime} on the applied index). Linearizable reads
 * wait here for the read index; the server's start waits here for the leader's first entry.
 *
 * <p>Thread-safe. The apply thread advances it; waiters are completed on that thread, so their
 * continuations must hand heavy work to another executor.
 */
public final class AppliedIndex {

    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private long applied;
    private boolean stopped;

    /** A tracker starting at {@code initial} (the backend's consistent index). */
    public AppliedIndex(long initial) {
        this.applied = initial;
    }

    /** The last applied index. */
    public synchronized long get() {
        return applied;
    }

    /**
     * A future completed once the applied index is at least {@code index}; at once if it already
     * is. Fails with {@link EtcdError#STOPPED} when the server stops first.
     */
    public synchronized CompletableFuture<Void> await(long index) {
        if (index <= applied) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (stopped) {
            future.completeExceptionally(EtcdError.STOPPED.exception());
            return future;
        }
        waiters.computeIfAbsent(index, i -> new ArrayList<>()).add(future);
        return future;
    }

    /**
     * Records that entries up to {@code index} are applied and releases their waiters.
     *
     * @throws IllegalStateException when {@code index} is below the applied index: an applied
     *     index never goes back
     */
    public void advanceTo(long index) {
        List<CompletableFuture<Void>> released = new ArrayList<>();
        synchronized (this) {
            if (index < applied) {
                throw new IllegalStateException("applied index going back from " + applied + " to " + index);
            }
            applied = index;
            Map<Long, List<CompletableFuture<Void>>> reached = waiters.headMap(index, true);
            reached.values().forEach(released::addAll);
            reached.clear();
        }
        released.forEach(future -> future.complete(null));
    }

    /** Fails every waiter, and every later one, with {@link EtcdError#STOPPED}. */
    public void stop() {
        List<CompletableFuture<Void>> released = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            waiters.values().forEach(released::addAll);
            waiters.clear();
        }
        released.forEach(future -> future.completeExceptionally(EtcdError.STOPPED.exception()));
    }
}
