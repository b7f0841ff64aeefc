package io.etcetera.kernel.raft;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Raft node as a pure state machine, shaped like etcd/raft's {@code RawNode}: it takes
 * {@link #tick()}, {@link #campaign()} and {@link #propose(List)}, and hands back a {@link Ready}
 * describing what to persist and what to apply. It performs no I/O, reads no clock and starts no
 * thread; its only randomness comes from the seed in {@link RaftConfig}.
 *
 * <p>This version knows a single voter, itself: a candidate wins with its own vote, and the
 * leader commits an entry of its term as soon as it is stable in its own log (a quorum of one).
 * Messages, followers' progress and ReadIndex rounds are where a multi-member Raft extends it;
 * the driver's contract ({@code ready → persist → apply → advance}) stays the same.
 *
 * <p>Terms follow etcd: a fresh member {@link #bootstrap bootstraps} at term 1 with a committed
 * {@code ConfChangeAddNode} entry for itself and campaigns to term 2; a restarted member resumes
 * as follower at its persisted term, so its next campaign takes term + 1. A new leader appends an
 * empty entry at its term (Raft paper, section 8), whose commit commits every earlier entry.
 *
 * <p>Not thread-safe: one thread (the Raft loop) owns a node.
 */
public final class RaftNode {

    /** The "no node" id, as etcd/raft's {@code None}. */
    public static final long NONE = 0;

    private final long id;
    private final int electionTimeoutTicks;
    private final SplittableRandom random;
    private final RaftLog log;

    private StateType state = StateType.FOLLOWER;
    private long term;
    private long vote;
    private long lead = NONE;
    private int electionElapsed;
    private int randomizedElectionTimeoutTicks;
    /** The hard state handed out in the last Ready (and so persisted after its advance). */
    private HardState previousHardState;

    private RaftNode(RaftConfig config, HardState hardState, RaftLog log, HardState persisted) {
        this.id = config.id();
        this.electionTimeoutTicks = config.electionTimeoutTicks();
        this.random = new SplittableRandom(config.randomSeed());
        this.log = log;
        this.term = hardState.getTerm();
        this.vote = hardState.getVote();
        this.previousHardState = persisted;
        resetRandomizedElectionTimeout();
    }

    /**
     * A fresh single-member cluster, as etcd bootstraps one: term 1, and entry 1 a committed
     * {@code ConfChangeAddNode} of this member. Nothing is stable yet: the first Ready carries it.
     */
    public static RaftNode bootstrap(RaftConfig config) {
        RaftLog log = new RaftLog(0, 0, List.of());
        ConfChange addSelf = ConfChange.newBuilder()
                .setType(ConfChangeType.ConfChangeAddNode)
                .setNodeId(config.id())
                .build();
        log.append(Entry.newBuilder()
                .setTerm(1)
                .setIndex(1)
                .setType(EntryType.EntryConfChange)
                .setData(addSelf.toByteString())
                .build());
        log.commitTo(1);
        HardState initial = HardState.newBuilder().setTerm(1).build();
        return new RaftNode(config, initial, log, HardState.getDefaultInstance());
    }

    /**
     * A node restarted from stable storage.
     *
     * @param hardState the last persisted hard state
     * @param appliedIndex the index of the last entry the state machine applied (the backend's
     *     consistent index); later entries will be handed out again as committed
     * @param appliedTerm the term of the entry at {@code appliedIndex} (0 when it is 0)
     * @param entries the persisted entries after {@code appliedIndex}, in index order
     * @throws IllegalArgumentException when the entries do not follow {@code appliedIndex}
     *     contiguously
     */
    public static RaftNode restart(
            RaftConfig config, HardState hardState, long appliedIndex, long appliedTerm, List<Entry> entries) {
        RaftLog log = new RaftLog(appliedIndex, appliedTerm, entries);
        // The persisted commit may trail the applied index: the commit index is written to the
        // WAL without fsync, while the backend may have kept what was applied.
        log.commitTo(Math.min(Math.max(hardState.getCommit(), appliedIndex), log.lastIndex()));
        return new RaftNode(config, hardState, log, hardState);
    }

    /** Advances the logical clock by one tick; a follower or candidate campaigns on election timeout. */
    public void tick() {
        if (state == StateType.LEADER) {
            // A leader of one has nobody to send heartbeats to.
            return;
        }
        electionElapsed++;
        if (electionElapsed >= randomizedElectionTimeoutTicks) {
            campaign();
        }
    }

    /** Starts an election at once (etcd/raft's {@code Campaign}); a leader ignores it. */
    public void campaign() {
        if (state == StateType.LEADER) {
            return;
        }
        becomeCandidate();
        // Voting for itself gives a single voter its quorum.
        if (1 >= quorum()) {
            becomeLeader();
        }
    }

    /**
     * Appends one normal entry per element of {@code data}, at the leader's term, in order.
     *
     * @throws ProposalDroppedException when this node is not the leader
     */
    public void propose(List<byte[]> data) {
        if (state != StateType.LEADER) {
            throw new ProposalDroppedException("raft proposal dropped: node " + Long.toHexString(id) + " is " + state
                    + " at term " + term + ", not leader");
        }
        for (byte[] d : data) {
            appendEntry(EntryType.EntryNormal, ByteString.copyFrom(d));
        }
    }

    /** Whether {@link #ready()} has anything to hand out. */
    public boolean hasReady() {
        return !currentHardState().equals(previousHardState)
                || log.unstableEntries().size() > 0
                || !log.nextCommittedEntries().isEmpty();
    }

    /** The current work for the driver; does not change the node until {@link #advance(Ready)}. */
    public Ready ready() {
        HardState hardState = currentHardState();
        boolean hardStateChanged = !hardState.equals(previousHardState);
        List<Entry> entries = log.unstableEntries();
        boolean mustSync = !entries.isEmpty()
                || hardState.getTerm() != previousHardState.getTerm()
                || hardState.getVote() != previousHardState.getVote();
        return new Ready(hardStateChanged ? hardState : null, entries, log.nextCommittedEntries(), mustSync);
    }

    /**
     * Tells the node that {@code ready} was persisted and its committed entries handed to the
     * state machine. A leader of one then commits what became stable.
     */
    public void advance(Ready ready) {
        if (ready.hardState() != null) {
            previousHardState = ready.hardState();
        }
        if (!ready.entries().isEmpty()) {
            log.stableTo(ready.entries().get(ready.entries().size() - 1).getIndex());
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).getIndex());
        }
        if (state == StateType.LEADER) {
            maybeCommit();
        }
    }

    /** This node's id. */
    public long id() {
        return id;
    }

    /** The current term. */
    public long term() {
        return term;
    }

    /** The current role. */
    public StateType state() {
        return state;
    }

    /** The id of the known leader, {@link #NONE} if none. */
    public long lead() {
        return lead;
    }

    /** The commit index. */
    public long commitIndex() {
        return log.committed();
    }

    /** The index of the last entry in the log (stable or not). */
    public long lastIndex() {
        return log.lastIndex();
    }

    /** The index of the last entry handed out for applying. */
    public long appliedIndex() {
        return log.applied();
    }

    private void becomeCandidate() {
        term++;
        vote = id;
        lead = NONE;
        state = StateType.CANDIDATE;
        electionElapsed = 0;
        resetRandomizedElectionTimeout();
    }

    private void becomeLeader() {
        state = StateType.LEADER;
        lead = id;
        // Raft paper, section 8: a leader commits an entry of its own term to learn the commit
        // index, and with it every earlier entry.
        appendEntry(EntryType.EntryNormal, ByteString.EMPTY);
    }

    private void appendEntry(EntryType type, ByteString data) {
        log.append(Entry.newBuilder()
                .setTerm(term)
                .setIndex(log.lastIndex() + 1)
                .setType(type)
                .setData(data)
                .build());
    }

    /**
     * Commits up to the highest index a quorum holds in stable storage, but only when that entry
     * is of the current term (Raft paper, section 5.4.2: a leader commits only current-term
     * entries by counting replicas). With one voter the quorum's match index is its own.
     */
    private void maybeCommit() {
        long quorumMatchIndex = log.stableIndex();
        if (quorumMatchIndex > log.committed() && log.term(quorumMatchIndex) == term) {
            log.commitTo(quorumMatchIndex);
        }
    }

    private int quorum() {
        int voters = 1;
        return voters / 2 + 1;
    }

    private HardState currentHardState() {
        return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(log.committed()).build();
    }

    private void resetRandomizedElectionTimeout() {
        randomizedElectionTimeoutTicks = electionTimeoutTicks + random.nextInt(electionTimeoutTicks);
    }
}
