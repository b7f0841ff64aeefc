package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's view of its Raft log (etcd/raft's {@code raftLog}): the stable entries in
 * {@link Storage} followed by the {@link Unstable} tail, with the commit and applied indexes.
 *
 * <p>Invariants, checked on every change because breaking them would corrupt the state machine:
 * {@code applied <= committed <= lastIndex}; the commit index never goes back; an entry at or
 * before the commit index is never overwritten. Not thread-safe: owned by its node.
 */
final class RaftLog {

    private final Storage storage;
    private final Unstable unstable;
    private long committed;
    private long applied;

    /** A log over {@code storage}, with everything up to its compaction point committed and applied. */
    RaftLog(Storage storage) {
        this.storage = storage;
        this.unstable = new Unstable(storage.lastIndex() + 1);
        this.committed = storage.firstIndex() - 1;
        this.applied = storage.firstIndex() - 1;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long firstIndex() {
        long fromSnapshot = unstable.maybeFirstIndex();
        return fromSnapshot != Unstable.UNKNOWN ? fromSnapshot : storage.firstIndex();
    }

    long lastIndex() {
        long fromUnstable = unstable.maybeLastIndex();
        return fromUnstable != Unstable.UNKNOWN ? fromUnstable : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** The index of the last persisted entry: entries after it are in the unstable tail. */
    long stableIndex() {
        return unstable.offset() - 1;
    }

    /**
     * The term of the entry at {@code index}, or 0 when the log no longer (compacted) or not yet
     * holds it, as etcd's {@code zeroTermOnErrCompacted}.
     */
    long term(long index) {
        if (index < firstIndex() - 1 || index > lastIndex()) {
            return 0;
        }
        long fromUnstable = unstable.maybeTerm(index);
        return fromUnstable != Unstable.UNKNOWN ? fromUnstable : storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        return index <= lastIndex() && index >= firstIndex() - 1 && term(index) == term;
    }

    /** Whether {@code index} is before the compaction point, so only a snapshot can convey it. */
    boolean isCompacted(long index) {
        return index < firstIndex() - 1;
    }

    /**
     * Election restriction (Raft paper, section 5.4.1): a log ending at ({@code lastIndex},
     * {@code lastTerm}) is at least as up to date as this one.
     */
    boolean isUpToDate(long candidateLastIndex, long candidateLastTerm) {
        long ownLastTerm = lastTerm();
        return candidateLastTerm > ownLastTerm || (candidateLastTerm == ownLastTerm && candidateLastIndex >= lastIndex());
    }

    /**
     * A follower's AppendEntries (Raft paper, Figure 2, receiver rules 2-5): when the entry at
     * {@code prevIndex} has {@code prevTerm}, appends {@code entries} from the first conflicting
     * one on and raises the commit index to {@code min(leaderCommit, index of last new entry)}.
     *
     * @return the index of the last new entry, or -1 when the log does not match at {@code prevIndex}
     */
    long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> entries) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNewIndex = prevIndex + entries.size();
        long conflict = findConflict(entries);
        if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with the committed log (commit "
                        + committed + ")");
            }
            append(entries.subList((int) (conflict - (prevIndex + 1)), entries.size()));
        }
        commitTo(Math.min(leaderCommit, lastNewIndex));
        return lastNewIndex;
    }

    /** Appends to the unstable tail, replacing entries from the first one's index on. */
    long append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return lastIndex();
        }
        long after = entries.get(0).getIndex() - 1;
        if (after < committed) {
            throw new IllegalStateException("appending after index " + after + " would overwrite committed index "
                    + committed);
        }
        unstable.truncateAndAppend(entries);
        return lastIndex();
    }

    /**
     * The index of the first entry whose term differs from the log's (or which the log does not
     * hold yet), or 0 when every entry is already in the log.
     */
    private long findConflict(List<Entry> entries) {
        for (Entry entry : entries) {
            if (!matchTerm(entry.getIndex(), entry.getTerm())) {
                return entry.getIndex();
            }
        }
        return 0;
    }

    /** Raises the commit index; a lower {@code index} is ignored, beyond the last index is a bug. */
    void commitTo(long index) {
        if (index <= committed) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalStateException("commit index " + index + " beyond last index " + lastIndex());
        }
        committed = index;
    }

    /**
     * A leader's commit rule (Raft paper, section 5.4.2): raises the commit index to
     * {@code index} only when that entry is of {@code term}, the leader's current term.
     */
    boolean maybeCommit(long index, long term) {
        if (index > committed && term(index) == term) {
            commitTo(index);
            return true;
        }
        return false;
    }

    void appliedTo(long index) {
        if (index < applied || index > committed) {
            throw new IllegalStateException("applied index " + index + " outside [" + applied + ", " + committed + "]");
        }
        applied = index;
    }

    /** Entries not yet persisted. */
    List<Entry> unstableEntries() {
        return unstable.entries();
    }

    boolean hasUnstableEntries() {
        return unstable.hasEntries();
    }

    /** A received snapshot not yet persisted, or {@code null}. */
    Snapshot unstableSnapshot() {
        return unstable.snapshot();
    }

    void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    void stableSnapTo(long index) {
        unstable.stableSnapTo(index);
    }

    /** Committed, persisted entries not yet applied, at most {@code maxSizeBytes} (but one at least). */
    List<Entry> nextCommittedEntries(long maxSizeBytes) {
        long from = Math.max(applied + 1, firstIndex());
        long upTo = Math.min(committed, stableIndex());
        if (upTo < from) {
            return List.of();
        }
        return slice(from, upTo + 1, maxSizeBytes);
    }

    boolean hasNextCommittedEntries() {
        return Math.min(committed, stableIndex()) >= Math.max(applied + 1, firstIndex());
    }

    /** Entries from {@code lo} to the end, at most {@code maxSizeBytes}; {@code lo} must not be compacted. */
    List<Entry> entriesFrom(long lo, long maxSizeBytes) {
        if (lo > lastIndex()) {
            return List.of();
        }
        return slice(lo, lastIndex() + 1, maxSizeBytes);
    }

    /** Entries {@code [lo, hi)} from storage and the unstable tail, at most {@code maxSizeBytes}. */
    List<Entry> slice(long lo, long hi, long maxSizeBytes) {
        if (lo < firstIndex() || hi > lastIndex() + 1 || lo > hi) {
            throw new IllegalStateException("slice [" + lo + ", " + hi + ") outside the log [" + firstIndex() + ", "
                    + (lastIndex() + 1) + ")");
        }
        if (lo == hi) {
            return List.of();
        }
        List<Entry> result = new ArrayList<>();
        long offset = unstable.offset();
        if (lo < offset) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, offset), maxSizeBytes);
            result.addAll(stored);
            if (stored.size() < Math.min(hi, offset) - lo) {
                return result;
            }
        }
        if (hi > offset) {
            result.addAll(unstable.slice(Math.max(lo, offset), hi));
        }
        return MemoryStorage.limitSize(result, maxSizeBytes);
    }

    /** Replaces the log with {@code snapshot}: everything up to its index is committed. */
    void restore(Snapshot snapshot) {
        committed = snapshot.getMetadata().getIndex();
        unstable.restore(snapshot);
    }

    /** The latest snapshot: a pending received one, else the storage's. */
    Snapshot snapshot() {
        Snapshot pending = unstable.snapshot();
        return pending != null ? pending : storage.snapshot();
    }
}
