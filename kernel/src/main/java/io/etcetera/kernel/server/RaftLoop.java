package io.etcetera.kernel.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.raft.ProposalDroppedException;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.ReadState;
import io.etcetera.kernel.raft.Ready;
import io.etcetera.kernel.raft.SoftState;
import io.etcetera.kernel.raft.StateType;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.transport.PeerHandler;
import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.SnapshotStatus;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The Raft loop: ONE thread owns the {@link RaftNode} and the {@link Wal} (etcd's
 * {@code raftNode.start} goroutine). Each turn it takes what arrived since the last one — Raft
 * messages from peers, unreachable and snapshot reports, linearizable read requests, and every
 * queued proposal (proposed together) — ticks the node when a tick is due, and for each
 * {@link Ready} writes the entries and hard state to the WAL with one fsync and sends the Ready's
 * messages through the {@link PeerTransport} (a follower after the fsync, a leader before it, so
 * its fsync overlaps the followers'), hands the committed entries to the apply
 * loop, answers read requests from the Ready's read states, and advances the node. Proposals that
 * arrive while an fsync is in progress share the next one: this is the WAL's group commit.
 *
 * <p>It is also the member's {@link PeerHandler}: the transport's I/O threads decode inbound
 * messages. When the loop is idle (nothing queued, the turn lock free) the I/O thread runs the
 * turn for that message itself: it steps it, persists (fsync) and sends what results, and hands
 * committed entries on — saving two thread wake-ups per message, which dominate a replicated
 * write's latency on a small machine; the I/O thread is then busy for the fsync, as etcd's raft
 * goroutine is. Otherwise the message goes to a bounded queue ({@link #MAX_PENDING_EVENTS};
 * beyond it a message is dropped, which Raft tolerates) for the loop thread. Every turn, on
 * either thread, holds the turn lock, and events leave the queue only under it, so messages are
 * stepped in the order they arrived.
 *
 * <p>A single voter campaigns at once; members of a larger cluster wait for the election timeout.
 * Leadership is published to the member: {@link #leaderEmptyEntryIndex()} names the empty entry
 * this member appended on becoming leader, and the {@code onLostLeadership} callback runs, under
 * the turn lock, on the thread of the turn in which it steps down (the loop thread or a transport
 * thread). A WAL failure is fatal: the loop stops and reports it, since
 * nothing can be acknowledged any more. Thread-safe: every public method may be called from any
 * thread.
 */
public final class RaftLoop implements PeerHandler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());

    /** The most proposals waiting for the Raft loop; beyond it a proposal is refused at once. */
    public static final int MAX_PENDING_PROPOSALS = 4096;
    /** The most proposals the loop hands the node in one turn (and so appends with one fsync). */
    public static final int MAX_PROPOSALS_PER_READY = 1024;
    /**
     * The most proposal bytes the loop takes in one turn, beyond the first proposal (which is
     * always taken): bounds the memory and the write of one group commit.
     */
    public static final long MAX_PROPOSAL_BYTES_PER_READY = 16L * 1024 * 1024;
    /** The most inbound messages, reports and read requests waiting for the loop. */
    public static final int MAX_PENDING_EVENTS = 8192;
    /** ReadIndex contexts awaiting their read state; older ones are forgotten (their reads time out). */
    static final int MAX_PENDING_READ_INDEXES = 1024;
    /** A ReadIndex round unanswered this long is asked again (etcd's {@code readIndexRetryTime}). */
    static final long READ_INDEX_RETRY_MS = 500;

    /** Where committed entries go: the apply loop's queue. May block for back-pressure. */
    @FunctionalInterface
    public interface CommittedEntries {
        void submit(List<Entry> committed) throws InterruptedException;
    }

    private record Proposal(long requestId, byte[] data) {
    }

    /** A ReadIndex round in flight: its reads, and when its request was last sent (nanoTime). */
    private static final class ReadRound {
        final List<CompletableFuture<Long>> waiters;
        long sentNanos;

        ReadRound(List<CompletableFuture<Long>> waiters, long sentNanos) {
            this.waiters = waiters;
            this.sentNanos = sentNanos;
        }
    }

    /** What the transport and readers hand the loop. */
    private sealed interface Event {
    }

    private record Inbound(Message message) implements Event {
    }

    private record Unreachable(long memberId) implements Event {
    }

    private record SnapshotReport(long memberId, boolean failed) implements Event {
    }

    private record ReadRequest(CompletableFuture<Long> readIndex) implements Event {
    }

    /** Work to run on the loop thread with the node (membership changes, leader transfer, status). */
    private record NodeTask(Consumer<RaftNode> task) implements Event {
    }

    /** Wakes the loop for queued proposals. */
    private record Wake() implements Event {
    }

    private static final Wake WAKE = new Wake();

    private final RaftNode node;
    private final Wal wal;
    private final CommittedEntries apply;
    private final Wait wait;
    private final long tickMs;
    private final Runnable onLostLeadership;
    private final Consumer<Throwable> onFatal;
    private final BlockingQueue<Proposal> proposals = new ArrayBlockingQueue<>(MAX_PENDING_PROPOSALS);
    private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(MAX_PENDING_EVENTS);
    private final Map<ByteString, ReadRound> readIndexWaiters = new LinkedHashMap<>();
    private final CompletableFuture<Void> leaderKnown = new CompletableFuture<>();
    private final Thread thread;
    private volatile PeerTransport transport;
    private volatile LongPredicate removed = id -> false;
    private volatile RaftSnapshots snapshots;
    private volatile long term;
    private volatile long commitIndex;
    private volatile long lead;
    private volatile long leaderEmptyEntryIndex;
    private volatile boolean stopping;
    private long readIndexCounter;
    /** Held for every turn: by the loop thread, or by a transport thread stepping a message inline. */
    private final ReentrantLock turn = new ReentrantLock();
    /** Loop-thread state, touched only under {@link #turn} by the loop thread. */
    private final List<Proposal> proposalBatch = new ArrayList<>(MAX_PROPOSALS_PER_READY);
    private List<CompletableFuture<Long>> pendingReads = new ArrayList<>();
    private long nextTick;
    private boolean closed;

    /**
     * A loop driving {@code node}, persisting to {@code wal}, handing committed entries to
     * {@code apply}, ticking every {@code tickMs} ms; proposals it drops fail their waiter in
     * {@code wait}; {@code onLostLeadership} runs in the turn in which this member stops being
     * leader; {@code onFatal} is called, on the thread of the failed turn, with a failure that
     * stopped the loop (the loop stops for good).
     */
    public RaftLoop(RaftNode node, Wal wal, CommittedEntries apply, Wait wait, long tickMs,
            Runnable onLostLeadership, Consumer<Throwable> onFatal) {
        this.node = node;
        this.wal = wal;
        this.apply = apply;
        this.wait = wait;
        this.tickMs = tickMs;
        this.onLostLeadership = onLostLeadership;
        this.onFatal = onFatal;
        this.term = node.term();
        this.commitIndex = node.commitIndex();
        this.thread = new Thread(this::run, "etcetera-raft");
    }

    /** The transport Ready messages go through; set before {@link #start()} (none for a single member). */
    public void connect(PeerTransport peers) {
        this.transport = peers;
    }

    /** Where {@link #isRemoved} looks: the ids removed from the cluster (etcd's {@code members_removed}). */
    public void removedMembers(LongPredicate removedIds) {
        this.removed = removedIds;
    }

    /**
     * Runs {@code task} on the loop thread with the node, between two Readies, and completes the
     * future with its result (or its exception). Used for what must touch the node itself: conf
     * change proposals, leader transfer, progress of followers.
     *
     * @return fails with {@link EtcdError#STOPPED} when the loop is stopping, or
     *     {@link EtcdError#REQUEST_TOO_MANY_REQUESTS} when the event queue is full
     */
    public <T> CompletableFuture<T> call(Function<RaftNode, T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        NodeTask event = new NodeTask(node -> {
            try {
                result.complete(task.apply(node));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        if (stopping) {
            result.completeExceptionally(EtcdError.STOPPED.exception());
        } else if (!enqueue(event)) {
            result.completeExceptionally(EtcdError.REQUEST_TOO_MANY_REQUESTS.exception());
        }
        return result;
    }

    /**
     * Where snapshots are persisted, sent, received and taken (see {@link RaftSnapshots}); set
     * before {@link #start()}. Without it the loop neither sends nor accepts snapshots nor
     * compacts its log.
     */
    public void snapshots(RaftSnapshots raftSnapshots) {
        this.snapshots = raftSnapshots;
    }

    /** Starts the loop; a single voter campaigns at once (it needs no election timeout to win). */
    public void start() {
        thread.start();
    }

    /**
     * Completes once this member knows a leader and has persisted everything up to the commit
     * index it learnt with it; fails when the loop stops first.
     */
    public CompletableFuture<Void> leaderKnown() {
        return leaderKnown;
    }

    /**
     * The index of the empty entry this member appended when it last became leader, or 0 when it
     * is not leader. Published before that entry is handed to the apply loop.
     */
    public long leaderEmptyEntryIndex() {
        return leaderEmptyEntryIndex;
    }

    /** The known leader's id, {@link RaftNode#NONE} when there is none. */
    public long lead() {
        return lead;
    }

    /**
     * Queues a proposal for request {@code requestId}, whose waiter must be registered. On a
     * follower Raft forwards it to the leader; without a leader it fails with
     * {@link EtcdError#NO_LEADER}.
     *
     * @throws EtcdException {@link EtcdError#STOPPED} when the loop is closed,
     *     {@link EtcdError#REQUEST_TOO_MANY_REQUESTS} when {@link #MAX_PENDING_PROPOSALS} wait already
     */
    public synchronized void propose(long requestId, byte[] data) {
        if (closed) {
            throw EtcdError.STOPPED.exception();
        }
        if (!proposals.offer(new Proposal(requestId, data))) {
            throw EtcdError.REQUEST_TOO_MANY_REQUESTS.exception();
        }
        // A full event queue means the loop has work and will take the proposal anyway.
        enqueue(WAKE);
    }

    /**
     * A linearizable read point (etcd's {@code linearizableReadNotify}): the leader's commit
     * index, confirmed by a quorum through Raft's ReadIndex. Concurrent requests share one
     * ReadIndex round; a round unanswered for {@link #READ_INDEX_RETRY_MS} is asked again. The
     * future never completes while there is no leader: callers bound it with a timeout.
     *
     * @return the index the local state machine must apply before the read; fails with
     *     {@link EtcdError#STOPPED}, {@link EtcdError#REQUEST_TOO_MANY_REQUESTS}, or
     *     {@link EtcdError#LEADER_CHANGED} when a new leader is learnt while the round is in flight
     */
    public CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> index = new CompletableFuture<>();
        if (stopping) {
            index.completeExceptionally(EtcdError.STOPPED.exception());
        } else if (!enqueue(new ReadRequest(index))) {
            index.completeExceptionally(EtcdError.REQUEST_TOO_MANY_REQUESTS.exception());
        }
        return index;
    }

    /** The current Raft term. */
    public long term() {
        return term;
    }

    /** The commit index as of the loop's last turn. */
    public long commitIndex() {
        return commitIndex;
    }

    /** Proposals queued and not yet taken by the loop. */
    public int pendingProposals() {
        return proposals.size();
    }

    @Override
    public void onMessage(long from, byte[] message) {
        try {
            Message parsed = Message.parseFrom(message);
            if (events.isEmpty() && turn.tryLock()) {
                try {
                    if (!stopping && events.isEmpty()) {
                        stepInline(parsed);
                        return;
                    }
                } finally {
                    turn.unlock();
                }
            }
            enqueue(new Inbound(parsed));
        } catch (InvalidProtocolBufferException e) {
            LOG.log(Level.WARNING, "dropping a malformed raft message from {0}: {1}", MemberIdentity.toHex(from), e.getMessage());
        }
    }

    /**
     * Stores and verifies the snapshot, then hands its {@code MsgSnap} to the loop; Raft installs
     * it through a later Ready (see {@link RaftSnapshots}).
     */
    @Override
    public void onSnapshot(long from, byte[] metadata, InputStream data) throws IOException {
        RaftSnapshots handler = snapshots;
        if (handler == null) {
            throw new IOException("this member does not accept snapshots");
        }
        Message message = handler.receive(from, metadata, data);
        if (!enqueue(new Inbound(message))) {
            throw new IOException("the raft loop is too busy to take the snapshot");
        }
    }

    @Override
    public void unreachable(long memberId) {
        enqueue(new Unreachable(memberId));
    }

    @Override
    public void snapshotStatus(long memberId, SnapshotStatus status) {
        enqueue(new SnapshotReport(memberId, status == SnapshotStatus.FAILURE));
    }

    @Override
    public boolean isRemoved(long memberId) {
        return removed.test(memberId);
    }

    /**
     * Stops the loop after its current turn and fails proposals it never took with
     * {@link EtcdError#STOPPED}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopping = true;
        LockSupport.unpark(thread);
        // An inline turn in progress ends before the member closes what it uses.
        turn.lock();
        turn.unlock();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failQueued(EtcdError.STOPPED);
        leaderKnown.completeExceptionally(EtcdError.STOPPED.exception());
    }

    /** Queues {@code event} for the loop thread and wakes it; false when the queue is full. */
    private boolean enqueue(Event event) {
        boolean queued = events.offer(event);
        LockSupport.unpark(thread);
        return queued;
    }

    /**
     * Steps {@code message} on the calling transport thread and handles the Readies, under the
     * turn lock, with nothing queued before it: a peer message is handled without a thread
     * hand-off when the loop is idle (a follower persists and answers an append from the thread
     * that read it; a leader commits from the thread that read the acknowledgement).
     */
    private void stepInline(Message message) {
        try {
            handle(new Inbound(message));
            handleReadies();
        } catch (IOException | InterruptedException | RuntimeException e) {
            stopFor(e);
        }
    }

    /** A turn failed: the loop stops for good and reports the failure. */
    private void stopFor(Throwable failure) {
        stopping = true;
        leaderKnown.completeExceptionally(failure);
        onFatal.accept(failure);
    }

    private void run() {
        try {
            turn.lock();
            try {
                if (node.confState().getVotersCount() == 1 && node.confState().getVoters(0) == node.id()) {
                    node.campaign();
                }
                handleReadies();
            } finally {
                turn.unlock();
            }
            nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(tickMs);
            while (!stopping) {
                long waitNanos = nextTick - System.nanoTime();
                if (events.isEmpty() && waitNanos > 0) {
                    // Every enqueue unparks this thread, so an event offered after the check ends the wait.
                    LockSupport.parkNanos(this, waitNanos);
                }
                turn.lock();
                try {
                    if (!stopping) {
                        turnOnce();
                    }
                } finally {
                    turn.unlock();
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            stopFor(e);
        } catch (Error e) {
            stopFor(e);
            throw e;
        }
    }

    /**
     * One turn of the loop thread, under the turn lock: every queued event (events leave the queue
     * only under the lock, and an inline turn checks the queue is empty under it, so messages are
     * stepped in arrival order), the queued proposals, one ReadIndex round, a tick when due, and
     * the Readies that result.
     */
    private void turnOnce() throws IOException, InterruptedException {
        Event event = events.poll();
        while (event != null) {
            handle(event);
            event = events.poll();
        }
        Proposal first = proposals.poll();
        if (first != null) {
            takeBatch(first, proposalBatch);
            propose(proposalBatch);
        }
        if (!pendingReads.isEmpty()) {
            requestReadIndex(pendingReads);
            pendingReads = new ArrayList<>();
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
            node.tick();
            nextTick += TimeUnit.MILLISECONDS.toNanos(tickMs);
            if (now - nextTick >= 0) {
                // Far behind (a long fsync): one tick now, not a burst that would expire timeouts.
                nextTick = now + TimeUnit.MILLISECONDS.toNanos(tickMs);
            }
            resendUnansweredReadIndexes(now);
        }
        handleReadies();
    }

    /**
     * Asks again for the ReadIndex of rounds unanswered for {@link #READ_INDEX_RETRY_MS} (a
     * request or its answer was dropped), under the same context, as etcd 3.4's
     * {@code linearizableReadLoop} does; the leader ignores a context it already has pending.
     */
    private void resendUnansweredReadIndexes(long now) {
        long retryNanos = TimeUnit.MILLISECONDS.toNanos(READ_INDEX_RETRY_MS);
        for (Map.Entry<ByteString, ReadRound> round : readIndexWaiters.entrySet()) {
            if (now - round.getValue().sentNanos >= retryNanos) {
                round.getValue().sentNanos = now;
                node.readIndex(round.getKey());
            }
        }
    }

    /**
     * Fails every ReadIndex round in flight with {@link EtcdError#LEADER_CHANGED}: a new leader
     * does not answer what was asked of the old one (etcd 3.4.23's {@code leaderChangedNotifier};
     * clients retry the read).
     */
    private void failReadIndexesOnLeaderChange() {
        for (ReadRound round : readIndexWaiters.values()) {
            round.waiters.forEach(w -> w.completeExceptionally(EtcdError.LEADER_CHANGED.exception()));
        }
        readIndexWaiters.clear();
    }

    private void handle(Event event) {
        if (event instanceof Inbound inbound) {
            try {
                node.step(inbound.message());
            } catch (IllegalArgumentException e) {
                // A peer sent a message type that never travels (a bug or a foreign sender): drop it.
                LOG.log(Level.WARNING, "dropping raft message {0} from {1}: {2}", inbound.message().getType(),
                        MemberIdentity.toHex(inbound.message().getFrom()), e.getMessage());
            }
        } else if (event instanceof Unreachable unreachable) {
            node.reportUnreachable(unreachable.memberId());
        } else if (event instanceof SnapshotReport report) {
            node.reportSnapshot(report.memberId(), report.failed());
        } else if (event instanceof ReadRequest read) {
            pendingReads.add(read.readIndex());
        } else if (event instanceof NodeTask task) {
            task.task().accept(node);
        }
    }

    /**
     * One ReadIndex round for every read request taken this turn, under a fresh context: this
     * member's id then a counter (16 bytes), unique in the cluster — the leader keys pending reads
     * by context, so two members must never use the same one (etcd uses its request ids).
     */
    private void requestReadIndex(List<CompletableFuture<Long>> reads) {
        ByteString ctx = ByteString.copyFrom(ByteBuffer.allocate(2 * Long.BYTES)
                .putLong(node.id()).putLong(++readIndexCounter).array());
        readIndexWaiters.put(ctx, new ReadRound(reads, System.nanoTime()));
        if (readIndexWaiters.size() > MAX_PENDING_READ_INDEXES) {
            Iterator<ReadRound> oldest = readIndexWaiters.values().iterator();
            oldest.next();
            oldest.remove();
        }
        node.readIndex(ctx);
    }

    /** {@code first} and what else is queued, within the count and byte limits of one turn. */
    private void takeBatch(Proposal first, List<Proposal> batch) {
        batch.clear();
        batch.add(first);
        long bytes = first.data().length;
        while (batch.size() < MAX_PROPOSALS_PER_READY) {
            Proposal next = proposals.peek();
            if (next == null || bytes + next.data().length > MAX_PROPOSAL_BYTES_PER_READY) {
                return;
            }
            // Only this thread takes from the queue, so the peeked proposal is the one polled.
            batch.add(proposals.poll());
            bytes += next.data().length;
        }
    }

    private void propose(List<Proposal> batch) {
        List<byte[]> data = new ArrayList<>(batch.size());
        for (Proposal proposal : batch) {
            data.add(proposal.data());
        }
        try {
            node.propose(data);
        } catch (ProposalDroppedException e) {
            for (Proposal proposal : batch) {
                wait.fail(proposal.requestId(), EtcdError.NO_LEADER.exception());
            }
        }
    }

    /**
     * Persists each Ready, then sends its messages, releases its committed entries and answers its
     * read states, then advances the node. A leader sends before it persists: its messages carry
     * entries to followers and promise nothing about its own disk, and the acknowledgements that
     * let it commit are stepped only after the fsync. Committed entries are always applied after
     * the fsync (a single voter commits in the same Ready it appends).
     */
    private void handleReadies() throws IOException, InterruptedException {
        while (node.hasReady()) {
            Ready ready = node.ready();
            if (ready.snapshot() != null) {
                snapshots.persist(ready.snapshot());
            }
            // A leader replicates while it writes its own disk (Raft thesis §10.2.1; etcd's
            // raftNode does the same): it counts itself for commit only when it steps the
            // followers' acknowledgements, on a later turn of this thread, after this fsync.
            boolean leaderSendsFirst = node.state() == StateType.LEADER;
            List<Long> snapshotsNotSent = leaderSendsFirst ? send(ready.messages()) : List.of();
            wal.save(ready.hardState(), ready.entries(), ready.mustSync());
            term = node.term();
            if (ready.softState() != null) {
                changeRole(ready.softState(), ready.entries());
            }
            if (!leaderSendsFirst) {
                // A follower's acknowledgements and votes promise what it has persisted.
                snapshotsNotSent = send(ready.messages());
            }
            if (ready.snapshot() != null) {
                snapshots.install(ready.snapshot());
            }
            if (!ready.committedEntries().isEmpty()) {
                apply.submit(ready.committedEntries());
            }
            for (ReadState state : ready.readStates()) {
                ReadRound round = readIndexWaiters.remove(state.requestCtx());
                if (round != null) {
                    round.waiters.forEach(w -> w.complete(state.index()));
                }
            }
            node.advance(ready);
            // Without a snapshot sender Raft hears at once, so the follower goes back to probing.
            snapshotsNotSent.forEach(to -> node.reportSnapshot(to, true));
            if (snapshots != null) {
                snapshots.maybeSnapshot(node);
            }
            commitIndex = node.commitIndex();
            if (lead != RaftNode.NONE) {
                leaderKnown.complete(null);
            }
        }
    }

    private void changeRole(SoftState soft, List<Entry> persisted) {
        boolean wasLeader = leaderEmptyEntryIndex != 0;
        if (soft.lead() != RaftNode.NONE && soft.lead() != lead) {
            failReadIndexesOnLeaderChange();
        }
        lead = soft.lead();
        if (soft.state() == StateType.LEADER) {
            if (!wasLeader) {
                leaderEmptyEntryIndex = emptyEntryOfTerm(persisted);
                LOG.log(Level.INFO, "{0} became leader at term {1,number,#}", MemberIdentity.toHex(node.id()), node.term());
            }
        } else {
            leaderEmptyEntryIndex = 0;
            if (wasLeader) {
                LOG.log(Level.INFO, "{0} lost leadership at term {1,number,#}", MemberIdentity.toHex(node.id()), node.term());
                onLostLeadership.run();
            }
        }
    }

    /** The empty entry a new leader appends, among the entries of the Ready that made it leader. */
    private long emptyEntryOfTerm(List<Entry> entries) {
        for (Entry entry : entries) {
            if (entry.getTerm() == node.term() && entry.getType() == EntryType.EntryNormal && entry.getData().isEmpty()) {
                return entry.getIndex();
            }
        }
        return node.lastIndex();
    }

    /** Sends {@code messages}; returns the members a MsgSnap could NOT be sent to. */
    private List<Long> send(List<Message> messages) {
        PeerTransport peers = transport;
        List<Long> snapshotsNotSent = new ArrayList<>(0);
        for (Message message : messages) {
            if (message.getType() == MessageType.MsgSnap) {
                if (snapshots != null && peers != null) {
                    snapshots.send(message);
                } else {
                    snapshotsNotSent.add(message.getTo());
                }
            } else if (peers != null) {
                peers.send(message.getTo(), message.toByteArray());
            }
        }
        return snapshotsNotSent;
    }

    private void failQueued(EtcdError error) {
        List<Proposal> left = new ArrayList<>();
        proposals.drainTo(left);
        for (Proposal proposal : left) {
            wait.fail(proposal.requestId(), error.exception());
        }
    }
}
