package io.etcetera.kernel.watch;

import io.etcetera.spi.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * One watcher: a key range watched from a revision on, with its options, belonging to one
 * stream (etcd {@code mvcc.watcher} plus the per-id flags of {@code serverWatchStream}).
 *
 * <p>Its place in the {@link WatchableStore} is its {@link State}: SYNCED watchers get events as
 * writes commit; UNSYNCED ones are caught up from history; a VICTIM holds one batch its stream
 * had no room for; COMPACTED and CANCELED watchers get nothing more.
 *
 * <p>Thread-safety: the immutable fields are safe anywhere; {@code state}, {@code minRevision} and
 * the pending batch are guarded by the store's lock; {@link #progressDue} and {@link #isCanceled}
 * are volatile because the stream's delivery thread reads them.
 */
final class Watcher {

    /** Where a watcher stands in the watchable store. */
    enum State { SYNCED, UNSYNCED, VICTIM, COMPACTED, CANCELED }

    private final long id;
    private final WatchRange range;
    private final boolean noPut;
    private final boolean noDelete;
    private final boolean prevKv;
    private final boolean fragment;
    private final boolean progressNotify;
    private final Outbox outbox;

    // guarded by the store's lock
    State state;
    /** The first revision whose events this watcher has not been given (etcd {@code minRev}). */
    long minRevision;
    /** A victim's undelivered events, already filtered; {@code null} unless VICTIM. */
    List<Event> pendingEvents;
    /** The header revision of the pending batch. */
    long pendingRevision;

    private volatile boolean canceled;
    private volatile boolean progressDue = true;

    Watcher(long id, WatchRange range, boolean noPut, boolean noDelete, boolean prevKv, boolean fragment,
            boolean progressNotify, Outbox outbox) {
        this.id = id;
        this.range = range;
        this.noPut = noPut;
        this.noDelete = noDelete;
        this.prevKv = prevKv;
        this.fragment = fragment;
        this.progressNotify = progressNotify;
        this.outbox = outbox;
    }

    long id() {
        return id;
    }

    WatchRange range() {
        return range;
    }

    boolean prevKv() {
        return prevKv;
    }

    boolean fragment() {
        return fragment;
    }

    boolean progressNotify() {
        return progressNotify;
    }

    Outbox outbox() {
        return outbox;
    }

    /**
     * The events this watcher wants out of {@code events}: those whose key it watches, at or after
     * its minimum revision, not dropped by its NOPUT/NODELETE filters (etcd
     * {@code newWatcherBatch} and {@code watcher.send}).
     */
    List<Event> select(List<Event> events) {
        List<Event> selected = null;
        for (Event event : events) {
            if (event.getKv().getModRevision() < minRevision || !range.contains(event.getKv().getKey().toByteArray())) {
                continue;
            }
            if (event.getType() == Event.EventType.PUT ? noPut : noDelete) {
                continue;
            }
            if (selected == null) {
                selected = new ArrayList<>();
            }
            selected.add(event);
        }
        return selected == null ? List.of() : selected;
    }

    /** Marks the watcher canceled; events still buffered for it are dropped at delivery. */
    void markCanceled() {
        canceled = true;
    }

    boolean isCanceled() {
        return canceled;
    }

    /** Whether no event was delivered since the last progress tick (etcd {@code progress[id]}). */
    boolean progressDue() {
        return progressDue;
    }

    void progressDue(boolean due) {
        progressDue = due;
    }

    @Override
    public String toString() {
        return "Watcher[" + id + ", " + range + "]";
    }
}
