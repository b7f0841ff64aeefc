package io.etcetera.kernel.watch;

import io.etcetera.kernel.mvcc.ChangeFeed;
import io.etcetera.kernel.mvcc.EventHistory;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * etcd 3.4's watchable store ({@code mvcc/watchable_store.go}): it routes the changes the
 * {@link MvccStore} commits to the watchers that watch their keys, and catches up watchers that
 * start in the past or fell behind.
 *
 * <p><b>Groups.</b> A watcher is SYNCED (it has every event up to the last notified revision and
 * gets new ones as they commit), UNSYNCED (it starts at, or fell back to, a revision already
 * written: the sync thread reads the history from the backend and sends it, in rounds of at most
 * {@link WatchOptions#syncBatchBytes()} bytes and {@link WatchOptions#maxWatchersPerSync()}
 * watchers, never splitting one revision), or a VICTIM (its stream had no room for a batch: the
 * batch is kept and retried every {@link WatchOptions#victimRetryMs()} ms or as soon as the stream
 * frees room; once delivered the watcher goes back to UNSYNCED or SYNCED). A victim is out of the
 * synced group, so it accumulates nothing more than its one batch: a stalled consumer costs at
 * most its stream's bounded buffer plus one batch per watcher, and the history holds the rest.
 *
 * <p><b>Revisions.</b> {@code notifiedRevision} is the newest revision whose events were routed;
 * a watch created with start revision 0 (or a future one) starts after it, any other start is
 * caught up from history. A watcher whose next revision is before the compact revision is
 * answered {@code compact_revision} with {@code canceled=true} and removed, as etcd does.
 *
 * <p><b>Threads.</b> {@link #committed} runs on the apply thread and only offers to bounded
 * buffers, never waiting for a consumer; one sync thread ({@code etcetera-watch-sync}) does the
 * catch-up, victim retries and progress notifications; streams call {@link #add},
 * {@link #cancel} and {@link #answer} from front-end threads. One lock guards the groups; history
 * reads happen outside it so the apply thread never waits on a backend scan. Thread-safe.
 */
final class WatchableStore implements ChangeFeed, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WatchableStore.class.getName());

    private final MvccStore mvcc;
    private final WatchOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread syncThread;

    // guarded by lock
    private final WatcherGroup synced = new WatcherGroup();
    private final WatcherGroup unsynced = new WatcherGroup();
    private final Set<Watcher> victims = new LinkedHashSet<>();
    private final Set<Watcher> progressWatchers = new LinkedHashSet<>();
    private long notifiedRevision;
    private boolean signalled;
    private boolean stopped;

    WatchableStore(MvccStore mvcc, WatchOptions options) {
        this.mvcc = mvcc;
        this.options = options;
        this.notifiedRevision = mvcc.currentRevision();
        this.syncThread = new Thread(this::syncLoop, "etcetera-watch-sync");
        this.syncThread.setDaemon(true);
    }

    /** Starts the sync thread. */
    void start() {
        syncThread.start();
    }

    /** The newest revision whose events were routed to watchers. */
    long revision() {
        lock.lock();
        try {
            return notifiedRevision;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code watcher} starting at {@code startRevision} (0 = after the current revision) and,
     * atomically with it, buffers its "created" response, built for the current revision, so that
     * response precedes every event of the watcher.
     */
    void add(Watcher watcher, long startRevision, LongFunction<WatchResponse> created) {
        lock.lock();
        try {
            watcher.outbox().offerControl(created.apply(notifiedRevision));
            if (startRevision == 0 || startRevision > notifiedRevision) {
                watcher.minRevision = Math.max(notifiedRevision + 1, startRevision);
                watcher.state = Watcher.State.SYNCED;
                synced.add(watcher);
            } else {
                watcher.minRevision = startRevision;
                watcher.state = Watcher.State.UNSYNCED;
                unsynced.add(watcher);
                signalLocked();
            }
            if (watcher.progressNotify()) {
                progressWatchers.add(watcher);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The store was reloaded from a snapshot (its history replaced): every synced watcher becomes
     * unsynced at its next revision, so the sync thread catches it up from the new history, or
     * cancels it with the compact revision when that history is compacted past it.
     */
    void storeReloaded() {
        lock.lock();
        try {
            for (Watcher watcher : synced.first(Integer.MAX_VALUE)) {
                synced.remove(watcher);
                watcher.state = Watcher.State.UNSYNCED;
                unsynced.add(watcher);
            }
            notifiedRevision = mvcc.currentRevision();
            signalLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code watcher} from wherever it is; its buffered events are dropped at delivery. */
    void cancel(Watcher watcher) {
        lock.lock();
        try {
            watcher.markCanceled();
            synced.remove(watcher);
            unsynced.remove(watcher);
            victims.remove(watcher);
            progressWatchers.remove(watcher);
            watcher.pendingEvents = null;
            watcher.state = Watcher.State.CANCELED;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers a control response in {@code outbox}, built for the current revision, in order with events. */
    void answer(Outbox outbox, LongFunction<WatchResponse> response) {
        lock.lock();
        try {
            outbox.offerControl(response.apply(notifiedRevision));
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the sync thread: a stream freed room, victims may fit now. */
    void signal() {
        lock.lock();
        try {
            signalLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Routes the events of the write txn at {@code revision} to the synced watchers (etcd
     * {@code notify}). A watcher whose stream has no room becomes a victim with this batch.
     * Apply thread; never blocks on a consumer.
     */
    @Override
    public void committed(long revision, List<Event> events) {
        lock.lock();
        try {
            notifiedRevision = revision;
            if (synced.isEmpty()) {
                return;
            }
            Set<Watcher> candidates = new LinkedHashSet<>();
            for (Event event : events) {
                candidates.addAll(synced.watching(event.getKv().getKey().toByteArray()));
            }
            for (Watcher watcher : candidates) {
                List<Event> selected = watcher.select(events);
                if (!selected.isEmpty() && !watcher.outbox().offerEvents(watcher, revision, selected)) {
                    synced.remove(watcher);
                    becomeVictim(watcher, selected, revision, revision + 1);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the sync thread and waits for it. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            stopped = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        if (syncThread.isAlive() && Thread.currentThread() != syncThread) {
            try {
                syncThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts for tests: {synced, unsynced, victims}. */
    int[] groupSizes() {
        lock.lock();
        try {
            return new int[] {synced.size(), unsynced.size(), victims.size()};
        } finally {
            lock.unlock();
        }
    }

    private void becomeVictim(Watcher watcher, List<Event> pending, long pendingRevision, long nextRevision) {
        watcher.state = Watcher.State.VICTIM;
        watcher.pendingEvents = pending;
        watcher.pendingRevision = pendingRevision;
        watcher.minRevision = nextRevision;
        victims.add(watcher);
        signalLocked();
    }

    private void signalLocked() {
        signalled = true;
        work.signal();
    }

    private void syncLoop() {
        long nextProgressNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.progressNotifyIntervalMs());
        try {
            while (true) {
                moveVictims();
                boolean moreWork = syncUnsynced();
                if (System.nanoTime() - nextProgressNanos >= 0) {
                    notifyProgress();
                    nextProgressNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.progressNotifyIntervalMs());
                }
                lock.lock();
                try {
                    if (stopped) {
                        return;
                    }
                    if (!moreWork && !signalled) {
                        long waitMs = victims.isEmpty() ? options.syncIntervalMs() : options.victimRetryMs();
                        long untilProgressMs = TimeUnit.NANOSECONDS.toMillis(nextProgressNanos - System.nanoTime()) + 1;
                        work.await(Math.max(1, Math.min(waitMs, untilProgressMs)), TimeUnit.MILLISECONDS);
                    }
                    signalled = false;
                    if (stopped) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "the watch sync thread failed; unsynced watchers will not catch up", e);
            throw e;
        }
    }

    /** Retries the victims' pending batches (etcd {@code moveVictims}). */
    private void moveVictims() {
        lock.lock();
        try {
            for (Watcher watcher : new ArrayList<>(victims)) {
                if (!watcher.outbox().offerEvents(watcher, watcher.pendingRevision, watcher.pendingEvents)) {
                    continue;
                }
                victims.remove(watcher);
                watcher.pendingEvents = null;
                if (watcher.minRevision <= notifiedRevision) {
                    watcher.state = Watcher.State.UNSYNCED;
                    unsynced.add(watcher);
                } else {
                    watcher.state = Watcher.State.SYNCED;
                    synced.add(watcher);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One catch-up round (etcd {@code syncWatchers}): cancels watchers behind the compaction,
     * reads the history the others miss, hands each its events, and moves those that reached
     * the notified revision to the synced group.
     *
     * @return whether unsynced watchers remain and this round moved some forward
     */
    private boolean syncUnsynced() {
        List<Watcher> chosen;
        long upTo;
        long from = Long.MAX_VALUE;
        lock.lock();
        try {
            if (unsynced.isEmpty()) {
                return false;
            }
            upTo = notifiedRevision;
            long compacted = mvcc.compactRevision();
            chosen = new ArrayList<>();
            for (Watcher watcher : unsynced.first(options.maxWatchersPerSync())) {
                if (compacted > 0 && watcher.minRevision < compacted) {
                    if (watcher.outbox().offerCompacted(watcher, compacted)) {
                        unsynced.remove(watcher);
                        progressWatchers.remove(watcher);
                        watcher.state = Watcher.State.COMPACTED;
                    }
                    continue;
                }
                chosen.add(watcher);
                from = Math.min(from, watcher.minRevision);
            }
            if (chosen.isEmpty()) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        EventHistory history;
        try {
            history = mvcc.rangeEvents(Math.max(1, from), upTo,
                    key -> chosen.stream().anyMatch(watcher -> watcher.range().contains(key)), options.syncBatchBytes());
        } catch (EtcdException e) {
            // compacted while we were choosing: the next round cancels those watchers
            return true;
        }
        boolean advanced = false;
        lock.lock();
        try {
            for (Watcher watcher : chosen) {
                if (watcher.state != Watcher.State.UNSYNCED) {
                    continue;
                }
                List<Event> selected = watcher.select(history.events());
                long next = Math.max(watcher.minRevision, history.nextRevision());
                advanced |= next > watcher.minRevision;
                long revision = history.nextRevision() - 1;
                if (!selected.isEmpty() && !watcher.outbox().offerEvents(watcher, revision, selected)) {
                    unsynced.remove(watcher);
                    becomeVictim(watcher, selected, revision, next);
                    continue;
                }
                watcher.minRevision = next;
                if (next > notifiedRevision) {
                    unsynced.remove(watcher);
                    watcher.state = Watcher.State.SYNCED;
                    synced.add(watcher);
                }
            }
            return advanced && !unsynced.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Sends an empty response with the revision to synced progress watchers idle since the last tick. */
    private void notifyProgress() {
        lock.lock();
        try {
            for (Watcher watcher : progressWatchers) {
                if (watcher.progressDue() && watcher.state == Watcher.State.SYNCED) {
                    watcher.outbox().offerEvents(watcher, notifiedRevision, List.of());
                }
                watcher.progressDue(true);
            }
        } finally {
            lock.unlock();
        }
    }
}
