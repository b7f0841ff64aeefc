package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log not yet persisted (etcd/raft's {@code unstable}): a received snapshot and
 * the entries after the stable ones, starting at index {@link #offset()}. The driver persists
 * both from a {@link Ready}; {@link #stableTo} and {@link #stableSnapTo} then drop them here.
 *
 * <p>Methods answer {@link #UNKNOWN} for an index this tail does not hold. Not thread-safe.
 */
final class Unstable {

    static final long UNKNOWN = -1;

    private Snapshot snapshot;
    private final List<Entry> entries = new ArrayList<>();
    private long offset;

    Unstable(long offset) {
        this.offset = offset;
    }

    long offset() {
        return offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    boolean hasEntries() {
        return !entries.isEmpty();
    }

    /** The first index of the log when a pending snapshot sets it, else {@link #UNKNOWN}. */
    long maybeFirstIndex() {
        return snapshot == null ? UNKNOWN : snapshot.getMetadata().getIndex() + 1;
    }

    /** The last index when this tail knows it, else {@link #UNKNOWN}. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot == null ? UNKNOWN : snapshot.getMetadata().getIndex();
    }

    long maybeTerm(long index) {
        if (index < offset) {
            if (snapshot != null && snapshot.getMetadata().getIndex() == index) {
                return snapshot.getMetadata().getTerm();
            }
            return UNKNOWN;
        }
        long last = maybeLastIndex();
        if (last == UNKNOWN || index > last) {
            return UNKNOWN;
        }
        return entries.get((int) (index - offset)).getTerm();
    }

    /** Entries up to {@code index} of term {@code term} were persisted. */
    void stableTo(long index, long term) {
        long known = maybeTerm(index);
        // A term mismatch means the entry was replaced after the Ready was handed out.
        if (known == term && index >= offset) {
            entries.subList(0, (int) (index + 1 - offset)).clear();
            offset = index + 1;
        }
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.getMetadata().getIndex() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot newSnapshot) {
        offset = newSnapshot.getMetadata().getIndex() + 1;
        entries.clear();
        snapshot = newSnapshot;
    }

    /** Appends {@code newEntries}, first replacing any held entry at or after their first index. */
    void truncateAndAppend(List<Entry> newEntries) {
        long after = newEntries.get(0).getIndex();
        if (after == offset + entries.size()) {
            entries.addAll(newEntries);
        } else if (after <= offset) {
            // Replaces the whole unstable tail (and stable entries from `after` on, once persisted).
            offset = after;
            entries.clear();
            entries.addAll(newEntries);
        } else {
            entries.subList((int) (after - offset), entries.size()).clear();
            entries.addAll(newEntries);
        }
    }

    /** Entries {@code [lo, hi)}, which this tail must hold. */
    List<Entry> slice(long lo, long hi) {
        if (lo > hi || lo < offset || hi > offset + entries.size()) {
            throw new IllegalStateException("unstable slice [" + lo + ", " + hi + ") outside [" + offset + ", "
                    + (offset + entries.size()) + ")");
        }
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }
}
