package io.etcetera.kernel.raft.sim;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.Entry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety properties (Raft paper, Figure 3), checked as the simulation runs; a violation
 * throws {@link AssertionError} naming the property.
 * <ul>
 *   <li>Election Safety: at most one leader per term.</li>
 *   <li>Log Matching: two persisted entries with the same index and term hold the same data and
 *       follow entries of the same term; by induction the logs are identical up to there.</li>
 *   <li>Leader Completeness: a new leader holds every entry any member applied.</li>
 *   <li>State Machine Safety: every member applies the same entry at an index and reaches the
 *       same state; an installed snapshot carries the state others reached at its index.</li>
 *   <li>Linearizable reads: a ReadIndex answer covers everything committed before it was asked.</li>
 * </ul>
 */
final class SafetyChecker {

    private record IndexTerm(long index, long term) {
    }

    private record PersistedEntry(ByteString data, long previousTerm) {
    }

    private record Applied(long term, ByteString data, long stateHash) {
    }

    private final Map<Long, Long> leaderByTerm = new HashMap<>();
    private final Map<IndexTerm, PersistedEntry> persisted = new HashMap<>();
    private final Map<Long, Applied> applied = new HashMap<>();
    private final Map<ByteString, Long> pendingReads = new HashMap<>();
    private long maxApplied;
    private long maxCommitted;
    private long readsAnswered;

    void leader(RaftNode node) {
        Long previous = leaderByTerm.putIfAbsent(node.term(), node.id());
        if (previous != null && previous != node.id()) {
            throw new AssertionError("Election Safety: term " + node.term() + " has leaders " + previous + " and "
                    + node.id());
        }
    }

    /** A node just became leader: its log holds every applied entry it has not compacted. */
    void newLeader(RaftNode node) {
        leader(node);
        for (long i = Math.max(node.firstIndex(), 1); i <= maxApplied; i++) {
            Applied a = applied.get(i);
            if (i > node.lastIndex() || node.termAt(i) != a.term()) {
                throw new AssertionError("Leader Completeness: leader " + node.id() + " of term " + node.term()
                        + " lacks applied entry " + i + " of term " + a.term() + " (has term " + node.termAt(i)
                        + ", last index " + node.lastIndex() + ")");
            }
        }
    }

    /** {@code node} persisted {@code entries}; the term before the first is {@code previousTerm}. */
    void persisted(long nodeId, long previousTerm, List<Entry> entries) {
        long prevTerm = previousTerm;
        for (Entry e : entries) {
            PersistedEntry mine = new PersistedEntry(e.getData(), prevTerm);
            PersistedEntry known = persisted.putIfAbsent(new IndexTerm(e.getIndex(), e.getTerm()), mine);
            if (known != null && !known.equals(mine)) {
                throw new AssertionError("Log Matching: node " + nodeId + " persisted entry " + e.getIndex() + " of term "
                        + e.getTerm() + " as " + mine + ", another node as " + known);
            }
            prevTerm = e.getTerm();
        }
    }

    void committed(long commitIndex) {
        maxCommitted = Math.max(maxCommitted, commitIndex);
    }

    /** {@code node} applied {@code entry} and its state machine is now {@code stateHash}. */
    void applied(long nodeId, Entry entry, long stateHash) {
        Applied mine = new Applied(entry.getTerm(), entry.getData(), stateHash);
        Applied known = applied.putIfAbsent(entry.getIndex(), mine);
        if (known != null && !known.equals(mine)) {
            throw new AssertionError("State Machine Safety: node " + nodeId + " applied " + mine + " at index "
                    + entry.getIndex() + ", another node " + known);
        }
        maxApplied = Math.max(maxApplied, entry.getIndex());
        maxCommitted = Math.max(maxCommitted, entry.getIndex());
    }

    void installedSnapshot(long nodeId, long index, long term, long stateHash) {
        Applied known = applied.get(index);
        if (known == null || known.term() != term || known.stateHash() != stateHash) {
            throw new AssertionError("State Machine Safety: node " + nodeId + " installed a snapshot at index " + index
                    + " term " + term + " with state " + stateHash + ", applied there: " + known);
        }
    }

    void readRequested(ByteString ctx) {
        pendingReads.put(ctx, maxCommitted);
    }

    void readAnswered(long nodeId, long index, ByteString ctx) {
        Long required = pendingReads.get(ctx);
        if (required == null) {
            throw new AssertionError("node " + nodeId + " answered a read nobody asked: " + ctx.toStringUtf8());
        }
        if (index < required) {
            throw new AssertionError("Linearizable read: node " + nodeId + " answered read " + ctx.toStringUtf8()
                    + " at index " + index + ", but index " + required + " was committed before it was asked");
        }
        readsAnswered++;
    }

    long maxApplied() {
        return maxApplied;
    }

    long readsAnswered() {
        return readsAnswered;
    }

    int leaders() {
        return leaderByTerm.size();
    }
}
