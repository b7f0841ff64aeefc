package io.etcetera.kernel.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.raft.pb.Snapshot;
import io.etcetera.kernel.raft.quorum.VoteResult;
import io.etcetera.kernel.raft.tracker.Progress;
import io.etcetera.kernel.raft.tracker.ProgressState;
import io.etcetera.kernel.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Raft node as a pure state machine, shaped like etcd/raft's {@code raft} and {@code RawNode}:
 * it takes {@link #tick()}, {@link #step(Message)} and local requests ({@link #propose},
 * {@link #proposeConfChange}, {@link #readIndex}, {@link #transferLeader}, {@link #campaign}) and
 * hands back a {@link Ready} describing what to persist, send and apply. It performs no I/O, reads
 * no clock and starts no thread; its only randomness is the election timeout, drawn from the seed
 * in {@link RaftConfig}.
 *
 * <p>Raft as in the paper and Ongaro's dissertation, with etcd's refinements: pre-vote and
 * check-quorum, flow control (probe/replicate/snapshot per follower, {@code maxInflightMessages},
 * {@code maxSizePerMsgBytes}), snapshots for followers behind the compaction point, ReadIndex
 * (safe mode: confirmed by a heartbeat quorum), leader transfer, learners, and single-step
 * membership changes that take effect when applied, at most one pending at a time.
 *
 * <p>One difference from etcd/raft: a leader counts its own log towards a quorum only once the
 * driver persisted it (in {@link #advance}), not when it appended it. Committed entries are
 * handed out only once persisted locally. Membership changes are applied by the node itself when
 * their entry is handed out and the Ready advanced, rather than by a separate
 * {@code ApplyConfChange} call.
 *
 * <p>Terms follow etcd: a fresh cluster {@link #bootstrap bootstraps} at term 1 with committed
 * {@code ConfChangeAddNode} entries for its members; a restarted member resumes as follower at its
 * persisted term. A new leader appends an empty entry at its term (Raft paper, section 8), whose
 * commit commits every earlier entry.
 *
 * <p>Not thread-safe: one thread owns a node. Between {@link #ready()} and {@link #advance} the
 * owner must not call anything else on the node.
 */
public final class RaftNode {

    /** The "no node" id, as etcd/raft's {@code None}. */
    public static final long NONE = 0;
    /** The vote context of a campaign started by leader transfer: voters ignore their leader lease. */
    static final ByteString CAMPAIGN_TRANSFER = ByteString.copyFromUtf8("CampaignTransfer");
    /** The most ReadIndex requests a new leader holds until it commits an entry of its term. */
    static final int MAX_POSTPONED_READS = ReadOnly.MAX_PENDING_READS;

    private enum CampaignType {
        PRE_ELECTION,
        ELECTION,
        TRANSFER
    }

    private final long id;
    private final RaftConfig config;
    private final SplittableRandom random;
    private final MemoryStorage storage;
    private final RaftLog log;
    private final ProgressTracker tracker;
    private final ReadOnly readOnly = new ReadOnly();
    /** Messages to send, handed out by {@link #ready()} and dropped by {@link #advance}. */
    private final List<Message> messages = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    /** ReadIndex requests that arrived before this leader committed an entry of its term. */
    private final List<Message> postponedReads = new ArrayList<>();

    private StateType state = StateType.FOLLOWER;
    private long term;
    private long vote;
    private long lead = NONE;
    private long leadTransferee = NONE;
    /** The index of the last membership change proposed; another waits until it is applied. */
    private long pendingConfIndex;
    /** The index of the last membership change reflected in {@link #tracker}. */
    private long membershipIndex;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeoutTicks;
    private HardState previousHardState;
    private SoftState previousSoftState;

    private RaftNode(RaftConfig config, MemoryStorage storage) {
        this.id = config.id();
        this.config = config;
        this.random = new SplittableRandom(config.randomSeed());
        this.storage = storage;
        this.log = new RaftLog(storage);
        this.tracker = new ProgressTracker(config.maxInflightMessages());
        resetRandomizedElectionTimeout();
    }

    /** A fresh single-member cluster: {@link #bootstrap(RaftConfig, List)} with this member alone. */
    public static RaftNode bootstrap(RaftConfig config) {
        return bootstrap(config, List.of(config.id()));
    }

    /**
     * A member of a fresh cluster of {@code peers} (voters, this member among them), as etcd
     * bootstraps one: term 1, entries 1..n committed {@code ConfChangeAddNode}s of the peers in
     * the given order, the membership already in effect (so it can campaign at once). Nothing is
     * stable yet: the first Ready carries the entries.
     */
    public static RaftNode bootstrap(RaftConfig config, List<Long> peers) {
        if (!peers.contains(config.id())) {
            throw new IllegalArgumentException("bootstrap peers " + peers + " must include this member " + config.id());
        }
        RaftNode node = new RaftNode(config, new MemoryStorage());
        node.previousHardState = HardState.getDefaultInstance();
        node.becomeFollower(1, NONE);
        List<Entry> entries = new ArrayList<>();
        for (long peer : peers) {
            ConfChange add = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(peer).build();
            entries.add(Entry.newBuilder()
                    .setTerm(1)
                    .setIndex(entries.size() + 1)
                    .setType(EntryType.EntryConfChange)
                    .setData(add.toByteString())
                    .build());
        }
        node.log.append(entries);
        node.log.commitTo(entries.size());
        for (long peer : peers) {
            node.tracker.addVoter(peer, node.log.lastIndex() + 1);
        }
        node.membershipIndex = entries.size();
        node.previousSoftState = node.softState();
        return node;
    }

    /**
     * A restarted member of a single-member cluster (the walking-skeleton server): its WAL
     * entries after the applied index, with itself as the only voter.
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
        long expected = appliedIndex + 1;
        for (Entry entry : entries) {
            if (entry.getIndex() != expected) {
                throw new IllegalArgumentException("stable entries must follow the applied index " + appliedIndex
                        + " without gaps: expected index " + expected + ", got " + entry.getIndex());
            }
            expected++;
        }
        MemoryStorage storage = MemoryStorage.startingAfter(appliedIndex, appliedTerm);
        storage.append(entries);
        storage.setHardState(hardState);
        RaftNode node = restart(config, storage, ConfState.newBuilder().addVoters(config.id()).build(), appliedIndex);
        // The membership is known to be this member alone, whatever changes the log replays
        // (only its own bootstrap entry): it may campaign before they are applied again.
        node.membershipIndex = node.log.lastIndex();
        return node;
    }

    /**
     * A member restarted from what it persisted: {@code storage} holds its snapshot, entries and
     * hard state.
     *
     * @param membership the voters and learners as of {@code appliedIndex} (the snapshot's, when
     *     {@code appliedIndex} is the snapshot index)
     * @param appliedIndex the last index the state machine applied, within
     *     {@code [storage.firstIndex() - 1, storage.lastIndex()]}; later committed entries are
     *     handed out again
     */
    public static RaftNode restart(RaftConfig config, MemoryStorage storage, ConfState membership, long appliedIndex) {
        if (appliedIndex < storage.firstIndex() - 1 || appliedIndex > storage.lastIndex()) {
            throw new IllegalArgumentException("applied index " + appliedIndex + " outside the stored log ["
                    + (storage.firstIndex() - 1) + ", " + storage.lastIndex() + "]");
        }
        HardState hardState = storage.hardState();
        RaftNode node = new RaftNode(config, storage);
        node.previousHardState = hardState;
        node.tracker.restore(membership, node.log.lastIndex() + 1);
        // The persisted commit may trail the applied index: the commit index is written without
        // fsync, while the state machine may have kept what was applied.
        node.log.commitTo(Math.min(Math.max(hardState.getCommit(), appliedIndex), node.log.lastIndex()));
        node.log.appliedTo(appliedIndex);
        node.membershipIndex = appliedIndex;
        node.term = hardState.getTerm();
        node.becomeFollower(hardState.getTerm(), NONE);
        node.vote = hardState.getVote();
        node.previousSoftState = node.softState();
        return node;
    }

    // ---------------------------------------------------------------- inputs

    /** Advances the logical clock by one tick (one heartbeat interval in etcd). */
    public void tick() {
        if (state == StateType.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    /** Starts an election at once (etcd/raft's {@code Campaign}), with pre-vote when configured. */
    public void campaign() {
        hup(config.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
    }

    /**
     * Proposes one normal entry per element of {@code data}, in order. A leader appends them; a
     * follower that knows its leader forwards them (and cannot tell whether they commit).
     *
     * @throws ProposalDroppedException when there is no leader to take them, this leader is
     *     transferring leadership, or it is no longer a member
     */
    public void propose(List<byte[]> data) {
        List<Entry> entries = new ArrayList<>(data.size());
        for (byte[] d : data) {
            entries.add(Entry.newBuilder().setType(EntryType.EntryNormal).setData(ByteString.copyFrom(d)).build());
        }
        if (!stepProposal(Message.newBuilder().setType(MessageType.MsgProp).setFrom(id).addAllEntries(entries).build())) {
            throw dropped("proposal");
        }
    }

    /**
     * Proposes a single-step membership change; it takes effect on each member when applied.
     *
     * @throws ProposalDroppedException as {@link #propose}, and when this leader has a membership
     *     change not yet applied
     */
    public void proposeConfChange(ConfChange change) {
        if (state == StateType.LEADER && pendingConfIndex > log.applied()) {
            throw new ProposalDroppedException("raft proposal dropped: membership change at index " + pendingConfIndex
                    + " is not applied yet (applied " + log.applied() + ")");
        }
        Entry entry = Entry.newBuilder().setType(EntryType.EntryConfChange).setData(change.toByteString()).build();
        if (!stepProposal(Message.newBuilder().setType(MessageType.MsgProp).setFrom(id).addEntries(entry).build())) {
            throw dropped("membership change");
        }
    }

    /**
     * Asks for a linearizable read point; the answer comes as a {@link ReadState} with the same
     * {@code requestCtx} in a later Ready, or never when leadership changes meanwhile (the caller
     * times out and retries). Callers batch concurrent reads under one context.
     */
    public void readIndex(ByteString requestCtx) {
        stepLocal(Message.newBuilder()
                .setType(MessageType.MsgReadIndex)
                .addEntries(Entry.newBuilder().setData(requestCtx))
                .build());
    }

    /** Asks the leader to hand leadership to {@code transferee} (Raft dissertation, section 3.10). */
    public void transferLeader(long transferee) {
        stepLocal(Message.newBuilder().setType(MessageType.MsgTransferLeader).setFrom(transferee).build());
    }

    /** The transport's report on a MsgSnap sent to {@code to}: delivered or failed. */
    public void reportSnapshot(long to, boolean failed) {
        stepLocal(Message.newBuilder().setType(MessageType.MsgSnapStatus).setFrom(to).setReject(failed).build());
    }

    /** The transport could not reach {@code to}: a leader stops streaming to it and probes. */
    public void reportUnreachable(long to) {
        stepLocal(Message.newBuilder().setType(MessageType.MsgUnreachable).setFrom(to).build());
    }

    /**
     * Takes in a message from another member.
     *
     * @throws IllegalArgumentException for a local message type, which never comes from the network
     */
    public void step(Message message) {
        if (isLocal(message.getType())) {
            throw new IllegalArgumentException("local message " + message.getType() + " cannot come from a peer");
        }
        if (isResponse(message.getType()) && tracker.progress(message.getFrom()) == null) {
            // etcd's ErrStepPeerNotFound: a response from a member no longer in the configuration.
            return;
        }
        if (message.getType() == MessageType.MsgProp) {
            stepProposal(message);
            return;
        }
        stepLocal(message);
    }

    // ---------------------------------------------------------------- Ready

    /** Whether {@link #ready()} has anything to hand out. */
    public boolean hasReady() {
        return !softState().equals(previousSoftState)
                || !currentHardState().equals(previousHardState)
                || log.hasUnstableEntries()
                || log.unstableSnapshot() != null
                || log.hasNextCommittedEntries()
                || !messages.isEmpty()
                || !readStates.isEmpty();
    }

    /** The current work for the driver; does not change the node until {@link #advance(Ready)}. */
    public Ready ready() {
        SoftState softState = softState();
        HardState hardState = currentHardState();
        List<Entry> entries = log.unstableEntries();
        Snapshot snapshot = log.unstableSnapshot();
        boolean mustSync = !entries.isEmpty()
                || snapshot != null
                || hardState.getTerm() != previousHardState.getTerm()
                || hardState.getVote() != previousHardState.getVote();
        return new Ready(
                softState.equals(previousSoftState) ? null : softState,
                hardState.equals(previousHardState) ? null : hardState,
                entries,
                snapshot,
                log.nextCommittedEntries(config.maxSizePerMsgBytes()),
                messages,
                readStates,
                mustSync);
    }

    /**
     * Tells the node that {@code ready} was handled as {@link Ready} describes: the node copies
     * the persisted snapshot and entries into its {@link MemoryStorage}, marks the committed
     * entries applied (applying membership changes among them), and forgets the sent messages.
     * A leader then counts its newly persisted entries towards commitment.
     */
    public void advance(Ready ready) {
        if (ready.softState() != null) {
            previousSoftState = ready.softState();
        }
        if (ready.hardState() != null) {
            previousHardState = ready.hardState();
            storage.setHardState(ready.hardState());
        }
        if (ready.snapshot() != null) {
            long snapshotIndex = ready.snapshot().getMetadata().getIndex();
            storage.applySnapshot(ready.snapshot());
            log.stableSnapTo(snapshotIndex);
            if (snapshotIndex > log.applied()) {
                log.appliedTo(snapshotIndex);
            }
        }
        if (!ready.entries().isEmpty()) {
            storage.append(ready.entries());
            Entry last = ready.entries().get(ready.entries().size() - 1);
            log.stableTo(last.getIndex(), last.getTerm());
        }
        for (Entry entry : ready.committedEntries()) {
            if (entry.getType() == EntryType.EntryConfChange) {
                applyConfChange(entry);
            }
        }
        if (!ready.committedEntries().isEmpty()) {
            log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).getIndex());
        }
        messages.subList(0, ready.messages().size()).clear();
        readStates.subList(0, ready.readStates().size()).clear();
        if (state == StateType.LEADER) {
            Progress self = tracker.progress(id);
            if (self != null && self.maybeUpdate(log.stableIndex()) && maybeCommit()) {
                bcastAppend();
            }
        }
    }

    // ---------------------------------------------------------------- snapshots and compaction

    /**
     * Takes a snapshot of the state machine at the applied index, for the membership as of that
     * index; followers behind the compaction point are sent it.
     *
     * @param data the state machine's state after applying the applied index (opaque to Raft)
     */
    public Snapshot createSnapshot(ByteString data) {
        return storage.createSnapshot(log.applied(), tracker.confState(), data);
    }

    /**
     * Takes a snapshot of the state machine at {@code index}, at or before the applied index (the
     * index the state machine has actually applied, when the driver hands entries out before
     * applying them), for the current membership.
     *
     * @throws IllegalArgumentException when {@code index} is past the applied index or not after
     *     the current snapshot
     */
    public Snapshot createSnapshot(long index, ByteString data) {
        if (index > log.applied()) {
            throw new IllegalArgumentException("snapshot index " + index + " beyond the applied index " + log.applied());
        }
        return storage.createSnapshot(index, tracker.confState(), data);
    }

    /** The index of the current snapshot (the compaction point's snapshot), 0 when none. */
    public long snapshotIndex() {
        return storage.snapshot().getMetadata().getIndex();
    }

    /**
     * Discards the in-memory entries up to {@code index}, which must be applied. A follower that
     * needs one of them is sent the latest snapshot, so keep a snapshot at or after {@code index}.
     */
    public void compact(long index) {
        if (index > log.applied()) {
            throw new IllegalArgumentException("compacting to " + index + " beyond the applied index " + log.applied());
        }
        storage.compact(index);
    }

    // ---------------------------------------------------------------- state

    public long id() {
        return id;
    }

    public long term() {
        return term;
    }

    /** Who this node voted for in the current term, {@link #NONE} if nobody. */
    public long vote() {
        return vote;
    }

    public StateType state() {
        return state;
    }

    /** The id of the known leader, {@link #NONE} if none. */
    public long lead() {
        return lead;
    }

    /** The member leadership is being handed to, {@link #NONE} if none. */
    public long leadTransferee() {
        return leadTransferee;
    }

    public long commitIndex() {
        return log.committed();
    }

    /** The index of the last entry in the log (stable or not). */
    public long lastIndex() {
        return log.lastIndex();
    }

    /** The index of the first entry still in the log; earlier ones are compacted. */
    public long firstIndex() {
        return log.firstIndex();
    }

    /** The term of the entry at {@code index}, 0 when it is compacted or beyond the log. */
    public long termAt(long index) {
        return log.term(index);
    }

    /** The index of the last entry handed out for applying. */
    public long appliedIndex() {
        return log.applied();
    }

    /** The voters and learners as this node knows them (as of its applied index). */
    public ConfState confState() {
        return tracker.confState();
    }

    /** A leader's view of member {@code memberId}'s replication, {@code null} if not a member. */
    public Progress progress(long memberId) {
        return tracker.progress(memberId);
    }

    /** The stable log this node reads from; its owner may snapshot and compact through the node. */
    public Storage storage() {
        return storage;
    }

    @Override
    public String toString() {
        return Long.toHexString(id) + " " + state + " term=" + term + " lead=" + Long.toHexString(lead)
                + " commit=" + log.committed() + " applied=" + log.applied() + " last=" + log.lastIndex();
    }

    // ---------------------------------------------------------------- ticks

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeoutTicks) {
            electionElapsed = 0;
            campaign();
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTimeoutTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                checkQuorum();
            }
            // A transfer that did not finish within an election timeout is abandoned.
            if (state == StateType.LEADER && leadTransferee != NONE) {
                abortLeaderTransfer();
            }
        }
        if (state != StateType.LEADER) {
            return;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            bcastHeartbeat();
        }
    }

    /** Check-quorum: a leader not heard from by a quorum within an election timeout steps down. */
    private void checkQuorum() {
        if (!tracker.quorumActive(id)) {
            becomeFollower(term, NONE);
            return;
        }
        for (Map.Entry<Long, Progress> e : tracker.all().entrySet()) {
            if (e.getKey() != id) {
                e.getValue().recentActive(false);
            }
        }
    }

    // ---------------------------------------------------------------- role changes

    private void becomeFollower(long newTerm, long newLead) {
        reset(newTerm);
        lead = newLead;
        state = StateType.FOLLOWER;
    }

    private void becomePreCandidate() {
        if (state == StateType.LEADER) {
            throw new IllegalStateException("a leader cannot become pre-candidate");
        }
        // Pre-vote changes neither term nor vote: a lost pre-election disturbs nobody.
        tracker.resetVotes();
        lead = NONE;
        state = StateType.PRE_CANDIDATE;
    }

    private void becomeCandidate() {
        if (state == StateType.LEADER) {
            throw new IllegalStateException("a leader cannot become candidate");
        }
        reset(term + 1);
        vote = id;
        state = StateType.CANDIDATE;
    }

    private void becomeLeader() {
        if (state == StateType.FOLLOWER) {
            throw new IllegalStateException("a follower cannot become leader without an election");
        }
        reset(term);
        lead = id;
        state = StateType.LEADER;
        Progress self = tracker.progress(id);
        if (self != null) {
            self.becomeReplicate();
        }
        // Entries from earlier terms may hold an unapplied membership change; none may be
        // proposed until everything up to here is applied.
        pendingConfIndex = log.lastIndex();
        // Raft paper, section 8: commit an entry of its own term to learn the commit index.
        appendEntries(List.of(Entry.newBuilder().setType(EntryType.EntryNormal).build()));
    }

    private void reset(long newTerm) {
        if (newTerm != term) {
            setTerm(newTerm);
            vote = NONE;
        }
        lead = NONE;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        resetRandomizedElectionTimeout();
        abortLeaderTransfer();
        tracker.resetVotes();
        for (Map.Entry<Long, Progress> e : tracker.all().entrySet()) {
            long match = e.getKey() == id ? log.stableIndex() : 0;
            e.getValue().restartAt(match, log.lastIndex() + 1);
        }
        pendingConfIndex = 0;
        readOnly.clear();
        postponedReads.clear();
    }

    private void setTerm(long newTerm) {
        if (newTerm < term) {
            throw new IllegalStateException("term going back from " + term + " to " + newTerm + " on " + this);
        }
        term = newTerm;
    }

    /** Whether this node may campaign: it is a voter of its configuration. */
    private boolean promotable() {
        return tracker.isVoter(id);
    }

    // ---------------------------------------------------------------- elections

    private void hup(CampaignType type) {
        if (state == StateType.LEADER || !promotable() || hasUnappliedMembershipChange()) {
            return;
        }
        runCampaign(type);
    }

    /** A committed membership change not yet in effect: campaigning now could use a stale quorum. */
    private boolean hasUnappliedMembershipChange() {
        long from = Math.max(Math.max(log.applied(), membershipIndex) + 1, log.firstIndex());
        long upTo = log.committed();
        if (upTo < from) {
            return false;
        }
        for (Entry entry : log.slice(from, upTo + 1, Long.MAX_VALUE)) {
            if (entry.getType() == EntryType.EntryConfChange) {
                return true;
            }
        }
        return false;
    }

    private void runCampaign(CampaignType type) {
        long voteTerm;
        MessageType voteType;
        if (type == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteType = MessageType.MsgPreVote;
            // A pre-vote asks about the term this node would take, without taking it.
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteType = MessageType.MsgVote;
            voteTerm = term;
        }
        if (tracker.recordVote(id, true) == VoteResult.WON) {
            wonElection(type);
            return;
        }
        for (long voter : tracker.voters()) {
            if (voter == id) {
                continue;
            }
            Message.Builder m = Message.newBuilder()
                    .setType(voteType)
                    .setTo(voter)
                    .setTerm(voteTerm)
                    .setIndex(log.lastIndex())
                    .setLogTerm(log.lastTerm());
            if (type == CampaignType.TRANSFER) {
                m.setContext(CAMPAIGN_TRANSFER);
            }
            send(m);
        }
    }

    private void wonElection(CampaignType type) {
        if (type == CampaignType.PRE_ELECTION) {
            runCampaign(CampaignType.ELECTION);
        } else {
            becomeLeader();
            bcastAppend();
        }
    }

    // ---------------------------------------------------------------- stepping

    private void stepLocal(Message m) {
        if (m.getTerm() == 0) {
            // A local message (or a forwarded proposal or read): no term to compare.
        } else if (m.getTerm() > term) {
            if (isVoteRequest(m.getType())) {
                boolean force = m.getContext().equals(CAMPAIGN_TRANSFER);
                boolean inLease = config.checkQuorum() && lead != NONE && electionElapsed < config.electionTimeoutTicks();
                if (!force && inLease) {
                    // Check-quorum's leader lease: a member that hears from a leader ignores
                    // votes, so a partitioned member cannot depose it (dissertation 4.2.3).
                    return;
                }
            }
            if (m.getType() == MessageType.MsgPreVote) {
                // Never change the term for a pre-vote.
            } else if (m.getType() == MessageType.MsgPreVoteResp && !m.getReject()) {
                // A granted pre-vote carries the term this node will take if it wins.
            } else if (m.getType() == MessageType.MsgApp || m.getType() == MessageType.MsgHeartbeat
                    || m.getType() == MessageType.MsgSnap) {
                becomeFollower(m.getTerm(), m.getFrom());
            } else {
                becomeFollower(m.getTerm(), NONE);
            }
        } else if (m.getTerm() < term) {
            if ((config.checkQuorum() || config.preVote())
                    && (m.getType() == MessageType.MsgHeartbeat || m.getType() == MessageType.MsgApp)) {
                // A stale leader cut off by check-quorum or pre-vote would otherwise never learn
                // the new term: answer so it steps down.
                send(Message.newBuilder().setType(MessageType.MsgAppResp).setTo(m.getFrom()));
            } else if (m.getType() == MessageType.MsgPreVote) {
                send(Message.newBuilder().setType(MessageType.MsgPreVoteResp).setTo(m.getFrom()).setTerm(term)
                        .setReject(true));
            }
            return;
        }

        if (isVoteRequest(m.getType())) {
            handleVoteRequest(m);
            return;
        }
        switch (state) {
            case LEADER -> stepLeader(m);
            case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
            case FOLLOWER -> stepFollower(m);
        }
    }

    /** RequestVote receiver (Raft paper, Figure 2), for votes and pre-votes. */
    private void handleVoteRequest(Message m) {
        boolean preVote = m.getType() == MessageType.MsgPreVote;
        MessageType responseType = preVote ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
        boolean canVote = vote == m.getFrom()
                || (vote == NONE && lead == NONE)
                || (preVote && m.getTerm() > term);
        if (canVote && log.isUpToDate(m.getIndex(), m.getLogTerm())) {
            // The response carries the request's term: a pre-vote at term + 1 stays in the future.
            send(Message.newBuilder().setType(responseType).setTo(m.getFrom()).setTerm(m.getTerm()));
            if (!preVote) {
                electionElapsed = 0;
                vote = m.getFrom();
            }
        } else {
            send(Message.newBuilder().setType(responseType).setTo(m.getFrom()).setTerm(term).setReject(true));
        }
    }

    private boolean stepProposal(Message m) {
        return switch (state) {
            case LEADER -> leaderPropose(m);
            case FOLLOWER -> {
                if (lead == NONE) {
                    yield false;
                }
                send(m.toBuilder().setTo(lead));
                yield true;
            }
            case CANDIDATE, PRE_CANDIDATE -> false;
        };
    }

    private boolean leaderPropose(Message m) {
        if (m.getEntriesCount() == 0) {
            throw new IllegalArgumentException("a proposal needs at least one entry");
        }
        if (tracker.progress(id) == null || leadTransferee != NONE) {
            // Removed from the configuration, or handing leadership over: refuse new work.
            return false;
        }
        List<Entry> entries = new ArrayList<>(m.getEntriesList());
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getType() != EntryType.EntryConfChange) {
                continue;
            }
            if (pendingConfIndex > log.applied()) {
                // One membership change at a time; a forwarded one is replaced, as etcd does.
                entries.set(i, Entry.newBuilder().setType(EntryType.EntryNormal).build());
            } else {
                pendingConfIndex = log.lastIndex() + i + 1;
            }
        }
        appendEntries(entries);
        bcastAppend();
        return true;
    }

    private void stepLeader(Message m) {
        switch (m.getType()) {
            case MsgReadIndex -> {
                leaderReadIndex(m);
                return;
            }
            case MsgTransferLeader -> {
                leaderTransfer(m);
                return;
            }
            default -> {
            }
        }
        Progress pr = tracker.progress(m.getFrom());
        if (pr == null) {
            return;
        }
        switch (m.getType()) {
            case MsgAppResp -> handleAppendResponse(m, pr);
            case MsgHeartbeatResp -> handleHeartbeatResponse(m, pr);
            case MsgSnapStatus -> {
                if (pr.state() != ProgressState.SNAPSHOT) {
                    return;
                }
                if (m.getReject()) {
                    pr.snapshotFailed();
                }
                pr.becomeProbe();
                // Wait for a heartbeat response before probing again, as etcd does.
                pr.probeSent(true);
            }
            case MsgUnreachable -> {
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
            }
            default -> {
                // Vote responses after winning, stale MsgTimeoutNow and the like: nothing to do.
            }
        }
    }

    private void handleAppendResponse(Message m, Progress pr) {
        pr.recentActive(true);
        if (m.getReject()) {
            if (pr.maybeDecrTo(m.getIndex(), m.getRejectHint())) {
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                sendAppend(m.getFrom());
            }
            return;
        }
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.getIndex())) {
            return;
        }
        switch (pr.state()) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match() >= pr.pendingSnapshot()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights().freeLE(m.getIndex());
        }
        if (maybeCommit()) {
            bcastAppend();
        } else if (wasPaused) {
            // It may have missed the commit index while paused.
            sendAppend(m.getFrom());
        }
        while (maybeSendAppend(m.getFrom(), false)) {
            // Fill the inflight window with what is left to send.
        }
        if (m.getFrom() == leadTransferee && pr.match() == log.lastIndex()) {
            sendTimeoutNow(m.getFrom());
        }
    }

    private void handleHeartbeatResponse(Message m, Progress pr) {
        pr.recentActive(true);
        pr.probeSent(false);
        if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < log.lastIndex()) {
            sendAppend(m.getFrom());
        }
        if (m.getContext().isEmpty() || !readOnly.ack(m.getFrom(), m.getContext(), tracker.voters())) {
            return;
        }
        for (ReadOnly.Status status : readOnly.advance(m.getContext())) {
            answerRead(status.request(), status.index());
        }
    }

    /** ReadIndex at the leader (dissertation, section 6.4). */
    private void leaderReadIndex(Message m) {
        if (tracker.voters().size() == 1 && tracker.isVoter(id)) {
            // A leader of one is its own quorum.
            answerRead(m, log.committed());
            return;
        }
        if (!committedEntryInCurrentTerm()) {
            // Until its first entry commits, this leader does not know the commit index.
            if (postponedReads.size() < MAX_POSTPONED_READS) {
                postponedReads.add(m);
            }
            return;
        }
        confirmRead(m);
    }

    private void confirmRead(Message m) {
        if (!readOnly.add(log.committed(), m)) {
            return;
        }
        ByteString ctx = m.getEntries(0).getData();
        if (readOnly.ack(id, ctx, tracker.voters())) {
            for (ReadOnly.Status status : readOnly.advance(ctx)) {
                answerRead(status.request(), status.index());
            }
            return;
        }
        for (long to : tracker.all().keySet()) {
            if (to != id) {
                sendHeartbeat(to, ctx);
            }
        }
    }

    private void answerRead(Message request, long index) {
        if (request.getFrom() == NONE || request.getFrom() == id) {
            readStates.add(new ReadState(index, request.getEntries(0).getData()));
        } else {
            send(Message.newBuilder()
                    .setType(MessageType.MsgReadIndexResp)
                    .setTo(request.getFrom())
                    .setIndex(index)
                    .addAllEntries(request.getEntriesList()));
        }
    }

    private boolean committedEntryInCurrentTerm() {
        return log.term(log.committed()) == term;
    }

    private void releasePostponedReads() {
        if (postponedReads.isEmpty() || !committedEntryInCurrentTerm()) {
            return;
        }
        List<Message> reads = new ArrayList<>(postponedReads);
        postponedReads.clear();
        for (Message m : reads) {
            confirmRead(m);
        }
    }

    /** Leader transfer (dissertation, section 3.10): catch the transferee up, then MsgTimeoutNow. */
    private void leaderTransfer(Message m) {
        long transferee = m.getFrom();
        Progress pr = tracker.progress(transferee);
        if (pr == null || pr.isLearner()) {
            return;
        }
        if (leadTransferee != NONE) {
            if (leadTransferee == transferee) {
                return;
            }
            abortLeaderTransfer();
        }
        if (transferee == id) {
            return;
        }
        // The transfer must finish within an election timeout.
        electionElapsed = 0;
        leadTransferee = transferee;
        if (pr.match() == log.lastIndex()) {
            sendTimeoutNow(transferee);
        } else {
            sendAppend(transferee);
        }
    }

    private void abortLeaderTransfer() {
        leadTransferee = NONE;
    }

    private void stepCandidate(Message m) {
        MessageType myVoteResponse = state == StateType.PRE_CANDIDATE ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
        switch (m.getType()) {
            case MsgApp -> {
                becomeFollower(m.getTerm(), m.getFrom());
                handleAppendEntries(m);
            }
            case MsgHeartbeat -> {
                becomeFollower(m.getTerm(), m.getFrom());
                handleHeartbeat(m);
            }
            case MsgSnap -> {
                becomeFollower(m.getTerm(), m.getFrom());
                handleSnapshot(m);
            }
            default -> {
                if (m.getType() != myVoteResponse) {
                    return;
                }
                switch (tracker.recordVote(m.getFrom(), !m.getReject())) {
                    case WON -> wonElection(state == StateType.PRE_CANDIDATE ? CampaignType.PRE_ELECTION
                            : CampaignType.ELECTION);
                    case LOST -> becomeFollower(term, NONE);
                    case PENDING -> {
                    }
                }
            }
        }
    }

    private void stepFollower(Message m) {
        switch (m.getType()) {
            case MsgApp -> {
                electionElapsed = 0;
                lead = m.getFrom();
                handleAppendEntries(m);
            }
            case MsgHeartbeat -> {
                electionElapsed = 0;
                lead = m.getFrom();
                handleHeartbeat(m);
            }
            case MsgSnap -> {
                electionElapsed = 0;
                lead = m.getFrom();
                handleSnapshot(m);
            }
            case MsgTransferLeader, MsgReadIndex -> {
                if (lead != NONE) {
                    send(m.toBuilder().setTo(lead));
                }
            }
            case MsgTimeoutNow -> {
                // Leader transfer skips pre-vote: the old leader asked for this election.
                if (promotable() && !hasUnappliedMembershipChange()) {
                    runCampaign(CampaignType.TRANSFER);
                }
            }
            case MsgReadIndexResp -> {
                if (m.getEntriesCount() == 1) {
                    readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData()));
                }
            }
            default -> {
            }
        }
    }

    /** AppendEntries receiver (Raft paper, Figure 2). */
    private void handleAppendEntries(Message m) {
        if (m.getIndex() < log.committed()) {
            send(Message.newBuilder().setType(MessageType.MsgAppResp).setTo(m.getFrom()).setIndex(log.committed()));
            return;
        }
        long lastNewIndex = log.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
        if (lastNewIndex >= 0) {
            send(Message.newBuilder().setType(MessageType.MsgAppResp).setTo(m.getFrom()).setIndex(lastNewIndex));
        } else {
            // The hint lets the leader skip straight back to this log's end.
            send(Message.newBuilder().setType(MessageType.MsgAppResp).setTo(m.getFrom()).setIndex(m.getIndex())
                    .setReject(true).setRejectHint(log.lastIndex()));
        }
    }

    private void handleHeartbeat(Message m) {
        log.commitTo(m.getCommit());
        send(Message.newBuilder().setType(MessageType.MsgHeartbeatResp).setTo(m.getFrom()).setContext(m.getContext()));
    }

    /** InstallSnapshot receiver (Raft paper, Figure 13). */
    private void handleSnapshot(Message m) {
        if (restore(m.getSnapshot())) {
            send(Message.newBuilder().setType(MessageType.MsgAppResp).setTo(m.getFrom()).setIndex(log.lastIndex()));
        } else {
            send(Message.newBuilder().setType(MessageType.MsgAppResp).setTo(m.getFrom()).setIndex(log.committed()));
        }
    }

    private boolean restore(Snapshot snapshot) {
        long index = snapshot.getMetadata().getIndex();
        long snapshotTerm = snapshot.getMetadata().getTerm();
        if (index <= log.committed()) {
            return false;
        }
        if (log.matchTerm(index, snapshotTerm)) {
            // The log already holds the snapshot's last entry: only the commit index moves.
            log.commitTo(index);
            return false;
        }
        log.restore(snapshot);
        tracker.restore(snapshot.getMetadata().getConfState(), log.lastIndex() + 1);
        membershipIndex = index;
        return true;
    }

    // ---------------------------------------------------------------- replication

    private void appendEntries(List<Entry> entries) {
        long index = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            stamped.add(entry.toBuilder().setTerm(term).setIndex(++index).build());
        }
        log.append(stamped);
    }

    /** Commits what a quorum persisted, if it is of this term; releases reads waiting for that. */
    private boolean maybeCommit() {
        if (!log.maybeCommit(tracker.committedIndex(), term)) {
            return false;
        }
        releasePostponedReads();
        return true;
    }

    private void bcastAppend() {
        for (long to : tracker.all().keySet()) {
            if (to != id) {
                sendAppend(to);
            }
        }
    }

    private void sendAppend(long to) {
        maybeSendAppend(to, true);
    }

    /**
     * Sends {@code to} the entries from its next index, or the snapshot when they are compacted.
     *
     * @param sendIfEmpty whether to send a MsgApp without entries (to carry the commit index)
     * @return whether a message was sent
     */
    private boolean maybeSendAppend(long to, boolean sendIfEmpty) {
        Progress pr = tracker.progress(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        if (pr.next() < log.firstIndex()) {
            return sendSnapshot(to, pr);
        }
        long prevIndex = pr.next() - 1;
        List<Entry> entries = log.entriesFrom(pr.next(), config.maxSizePerMsgBytes());
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        send(Message.newBuilder()
                .setType(MessageType.MsgApp)
                .setTo(to)
                .setIndex(prevIndex)
                .setLogTerm(log.term(prevIndex))
                .addAllEntries(entries)
                .setCommit(log.committed()));
        if (!entries.isEmpty()) {
            long last = entries.get(entries.size() - 1).getIndex();
            switch (pr.state()) {
                case REPLICATE -> {
                    pr.optimisticUpdate(last);
                    pr.inflights().add(last);
                }
                case PROBE -> pr.probeSent(true);
                case SNAPSHOT -> throw new IllegalStateException("sending entries to " + to + " while it is sent a snapshot");
            }
        }
        return true;
    }

    private boolean sendSnapshot(long to, Progress pr) {
        if (!pr.recentActive()) {
            // Not heard from lately: a snapshot is expensive, wait until it answers a heartbeat.
            return false;
        }
        Snapshot snapshot = log.snapshot();
        if (snapshot.getMetadata().getIndex() < log.firstIndex() - 1) {
            // etcd's ErrSnapshotTemporarilyUnavailable: the owner compacted past its last
            // snapshot; try again after it takes a new one.
            return false;
        }
        send(Message.newBuilder().setType(MessageType.MsgSnap).setTo(to).setSnapshot(snapshot));
        pr.becomeSnapshot(snapshot.getMetadata().getIndex());
        return true;
    }

    private void bcastHeartbeat() {
        ByteString ctx = readOnly.lastPendingContext();
        for (long to : tracker.all().keySet()) {
            if (to != id) {
                sendHeartbeat(to, ctx);
            }
        }
    }

    private void sendHeartbeat(long to, ByteString ctx) {
        // A follower may not hold everything committed yet; never tell it to commit past its match.
        long commit = Math.min(tracker.progress(to).match(), log.committed());
        Message.Builder m = Message.newBuilder().setType(MessageType.MsgHeartbeat).setTo(to).setCommit(commit);
        if (ctx != null) {
            m.setContext(ctx);
        }
        send(m);
    }

    private void sendTimeoutNow(long to) {
        send(Message.newBuilder().setType(MessageType.MsgTimeoutNow).setTo(to));
    }

    private void send(Message.Builder m) {
        if (m.getFrom() == NONE) {
            m.setFrom(id);
        }
        MessageType type = m.getType();
        if (isVoteRequest(type) || type == MessageType.MsgVoteResp || type == MessageType.MsgPreVoteResp) {
            if (m.getTerm() == 0) {
                throw new IllegalStateException(type + " must carry a term");
            }
        } else if (type != MessageType.MsgProp && type != MessageType.MsgReadIndex) {
            // Proposals and reads forwarded to the leader are local to it: they carry no term.
            m.setTerm(term);
        }
        messages.add(m.build());
    }

    // ---------------------------------------------------------------- membership

    private void applyConfChange(Entry entry) {
        ConfChange change;
        try {
            change = ConfChange.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("committed entry " + entry.getIndex() + " holds no ConfChange", e);
        }
        long next = log.lastIndex() + 1;
        switch (change.getType()) {
            case ConfChangeAddNode -> tracker.addVoter(change.getNodeId(), next);
            case ConfChangeAddLearnerNode -> tracker.addLearner(change.getNodeId(), next);
            case ConfChangeRemoveNode -> tracker.remove(change.getNodeId());
            case ConfChangeUpdateNode, UNRECOGNIZED -> {
                // Raft membership is unchanged: an update only changes the member's URLs.
            }
        }
        membershipIndex = Math.max(membershipIndex, entry.getIndex());
        if (state != StateType.LEADER) {
            return;
        }
        if (!tracker.isVoter(id)) {
            // Removed or demoted: a leader that is not a voter steps down; the rest elect a new one.
            becomeFollower(term, NONE);
            return;
        }
        if (leadTransferee != NONE && tracker.progress(leadTransferee) == null) {
            abortLeaderTransfer();
        }
        // A smaller quorum may already hold entries the larger one did not.
        if (maybeCommit()) {
            bcastAppend();
        }
    }

    // ---------------------------------------------------------------- helpers

    private SoftState softState() {
        return new SoftState(lead, state);
    }

    private HardState currentHardState() {
        return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(log.committed()).build();
    }

    private void resetRandomizedElectionTimeout() {
        randomizedElectionTimeoutTicks = config.electionTimeoutTicks() + random.nextInt(config.electionTimeoutTicks());
    }

    private ProposalDroppedException dropped(String what) {
        return new ProposalDroppedException("raft " + what + " dropped: node " + Long.toHexString(id) + " is " + state
                + " at term " + term + (state == StateType.LEADER ? " transferring leadership or removed" : ", not leader"));
    }

    private static boolean isVoteRequest(MessageType type) {
        return type == MessageType.MsgVote || type == MessageType.MsgPreVote;
    }

    private static boolean isLocal(MessageType type) {
        return switch (type) {
            case MsgHup, MsgBeat, MsgUnreachable, MsgSnapStatus, MsgCheckQuorum -> true;
            default -> false;
        };
    }

    private static boolean isResponse(MessageType type) {
        return switch (type) {
            case MsgAppResp, MsgVoteResp, MsgHeartbeatResp, MsgPreVoteResp -> true;
            default -> false;
        };
    }
}
