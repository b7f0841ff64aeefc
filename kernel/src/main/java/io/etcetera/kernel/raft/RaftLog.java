package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory Raft log of a {@link RaftNode}: the entries after the applied index, split into a
 * stable prefix (persisted by the driver) and an unstable tail (etcd/raft's {@code raftLog} with
 * its {@code MemoryStorage} and {@code unstable} parts folded together).
 *
 * <p>Entries up to the applied index are dropped from memory: the WAL keeps them on disk and the
 * backend already holds their effect. Only the index and term of the last dropped entry are kept,
 * so that {@link #term(long)} can answer for it. Invariants, checked on every change because
 * breaking them would corrupt the state machine: {@code applied <= committed <= lastIndex},
 * {@code applied <= stable}, and neither the commit nor the applied index ever goes back.
 *
 * <p>Not thread-safe: owned by the node, which is owned by the Raft loop thread.
 */
final class RaftLog {

    /** Index of the entry just before {@code entries.get(0)}: the last applied (dropped) entry. */
    private long offsetIndex;
    /** Term of the entry at {@link #offsetIndex}, 0 when the log starts empty. */
    private long offsetTerm;
    private final List<Entry> entries = new ArrayList<>();
    private long stableIndex;
    private long committed;
    private long applied;

    /**
     * A log whose entries up to {@code appliedIndex} are applied, followed by {@code stable}
     * entries already persisted.
     */
    RaftLog(long appliedIndex, long appliedTerm, List<Entry> stable) {
        this.offsetIndex = appliedIndex;
        this.offsetTerm = appliedTerm;
        this.applied = appliedIndex;
        this.committed = appliedIndex;
        long expected = appliedIndex + 1;
        for (Entry entry : stable) {
            if (entry.getIndex() != expected) {
                throw new IllegalArgumentException(
                        "stable entries must follow the applied index " + appliedIndex + " without gaps: expected index "
                                + expected + ", got " + entry.getIndex());
            }
            entries.add(entry);
            expected++;
        }
        this.stableIndex = lastIndex();
    }

    long lastIndex() {
        return offsetIndex + entries.size();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long stableIndex() {
        return stableIndex;
    }

    /** The term of the entry at {@code index}, which must be the applied entry or a later one. */
    long term(long index) {
        if (index == offsetIndex) {
            return offsetTerm;
        }
        if (index < offsetIndex || index > lastIndex()) {
            throw new IllegalArgumentException(
                    "index " + index + " is outside the in-memory log (" + offsetIndex + ", " + lastIndex() + "]");
        }
        return entries.get((int) (index - offsetIndex - 1)).getTerm();
    }

    /** Appends {@code entry}, which must carry the next index, to the unstable tail. */
    void append(Entry entry) {
        if (entry.getIndex() != lastIndex() + 1) {
            throw new IllegalStateException("appending index " + entry.getIndex() + " after last index " + lastIndex());
        }
        if (entry.getTerm() < lastTerm()) {
            throw new IllegalStateException("appending term " + entry.getTerm() + " after term " + lastTerm());
        }
        entries.add(entry);
    }

    /** The entries not yet persisted. */
    List<Entry> unstableEntries() {
        return List.copyOf(entries.subList((int) (stableIndex - offsetIndex), entries.size()));
    }

    /** Committed, persisted entries not yet handed to the state machine. */
    List<Entry> nextCommittedEntries() {
        long upTo = Math.min(committed, stableIndex);
        if (upTo <= applied) {
            return List.of();
        }
        return List.copyOf(entries.subList((int) (applied - offsetIndex), (int) (upTo - offsetIndex)));
    }

    /** Records that the entries up to {@code index} are persisted. */
    void stableTo(long index) {
        if (index < stableIndex || index > lastIndex()) {
            throw new IllegalStateException(
                    "stable index " + index + " outside [" + stableIndex + ", " + lastIndex() + "]");
        }
        stableIndex = index;
    }

    /** Raises the commit index to {@code index}; a commit index never goes back. */
    void commitTo(long index) {
        if (index < committed) {
            throw new IllegalStateException("commit index going back from " + committed + " to " + index);
        }
        if (index > lastIndex()) {
            throw new IllegalStateException("commit index " + index + " beyond last index " + lastIndex());
        }
        committed = index;
    }

    /** Records that the entries up to {@code index} were handed to the state machine and drops them. */
    void appliedTo(long index) {
        if (index < applied || index > Math.min(committed, stableIndex)) {
            throw new IllegalStateException("applied index " + index + " outside [" + applied + ", "
                    + Math.min(committed, stableIndex) + "]");
        }
        long termAtIndex = term(index);
        entries.subList(0, (int) (index - offsetIndex)).clear();
        offsetIndex = index;
        offsetTerm = termAtIndex;
        applied = index;
    }
}
