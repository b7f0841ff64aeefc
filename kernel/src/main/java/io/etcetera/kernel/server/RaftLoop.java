package io.etcetera.kernel.server;

import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.raft.ProposalDroppedException;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.Ready;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Raft loop: ONE thread owns the {@link RaftNode} and the {@link Wal} (etcd's
 * {@code raftNode.start} goroutine). It takes every proposal queued since its last turn, proposes
 * them together, and for each {@link Ready} writes the entries and hard state to the WAL with one
 * fsync, and only then hands the committed entries to the apply loop and advances the node.
 * Proposals that arrive while an fsync is in progress wait in the queue and share the next one:
 * this is the WAL's group commit. Without proposals the loop ticks the node every
 * {@link #TICK_INTERVAL_MS}.
 *
 * <p>A WAL failure is fatal: the loop stops and reports it, since nothing can be acknowledged
 * any more. Thread-safe: {@link #propose}, {@link #term()} and {@link #commitIndex()} may be
 * called from any thread.
 */
public final class RaftLoop implements AutoCloseable {

    /** The most proposals waiting for the Raft loop; beyond it a proposal is refused at once. */
    public static final int MAX_PENDING_PROPOSALS = 4096;
    /** The most proposals the loop hands the node in one turn (and so appends with one fsync). */
    public static final int MAX_PROPOSALS_PER_READY = 1024;
    /**
     * The most proposal bytes the loop takes in one turn, beyond the first proposal (which is
     * always taken): bounds the memory and the write of one group commit.
     */
    public static final long MAX_PROPOSAL_BYTES_PER_READY = 16L * 1024 * 1024;
    /** The tick interval, in ms: etcd's default {@code --heartbeat-interval}. */
    public static final long TICK_INTERVAL_MS = 100;
    /**
     * Applied entries the node keeps in memory (etcd's {@code SnapshotCatchUpEntries}); older
     * ones are compacted away in steps of this many, and live on only in the WAL.
     */
    static final long RETAINED_APPLIED_ENTRIES = 5_000;

    /** Where committed entries go: the apply loop's queue. May block for back-pressure. */
    @FunctionalInterface
    public interface CommittedEntries {
        void submit(List<Entry> committed) throws InterruptedException;
    }

    private record Proposal(long requestId, byte[] data) {
    }

    private final RaftNode node;
    private final Wal wal;
    private final CommittedEntries apply;
    private final Wait wait;
    private final Consumer<Throwable> onFatal;
    private final BlockingQueue<Proposal> proposals = new ArrayBlockingQueue<>(MAX_PENDING_PROPOSALS);
    private final CompletableFuture<Long> leaderFirstIndex = new CompletableFuture<>();
    private final Thread thread;
    private volatile long term;
    private volatile long commitIndex;
    private volatile boolean stopping;
    private boolean closed;

    /**
     * A loop driving {@code node}, persisting to {@code wal}, handing committed entries to
     * {@code apply}; proposals it drops fail their waiter in {@code wait}; {@code onFatal} is
     * called, on the loop thread, with a failure that stopped the loop.
     */
    public RaftLoop(RaftNode node, Wal wal, CommittedEntries apply, Wait wait, Consumer<Throwable> onFatal) {
        this.node = node;
        this.wal = wal;
        this.apply = apply;
        this.wait = wait;
        this.onFatal = onFatal;
        this.term = node.term();
        this.commitIndex = node.commitIndex();
        this.thread = new Thread(this::run, "etcetera-raft");
    }

    /** Starts the loop; a single member campaigns at once (it needs no election timeout to win). */
    public void start() {
        thread.start();
    }

    /**
     * The index of the empty entry this member appended on becoming leader; once it is applied,
     * everything committed before is applied too and the member can serve linearizable requests.
     * Fails when the loop stops first.
     */
    public CompletableFuture<Long> leaderFirstIndex() {
        return leaderFirstIndex;
    }

    /**
     * Queues a proposal for request {@code requestId}, whose waiter must be registered.
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
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failQueued(EtcdError.STOPPED);
        leaderFirstIndex.completeExceptionally(EtcdError.STOPPED.exception());
    }

    private void run() {
        try {
            node.campaign();
            leaderFirstIndex.complete(node.lastIndex());
            handleReadies();
            List<Proposal> batch = new ArrayList<>(MAX_PROPOSALS_PER_READY);
            while (!stopping) {
                Proposal first = proposals.poll(TICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    node.tick();
                } else {
                    takeBatch(first, batch);
                    propose(batch);
                }
                handleReadies();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            leaderFirstIndex.completeExceptionally(e);
            onFatal.accept(e);
        } catch (Error e) {
            leaderFirstIndex.completeExceptionally(e);
            onFatal.accept(e);
            throw e;
        }
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

    /** Persists each Ready before releasing its committed entries, then advances the node. */
    private void handleReadies() throws IOException, InterruptedException {
        while (node.hasReady()) {
            Ready ready = node.ready();
            wal.save(ready.hardState(), ready.entries(), ready.mustSync());
            if (!ready.committedEntries().isEmpty()) {
                apply.submit(ready.committedEntries());
            }
            node.advance(ready);
            long compactTo = node.appliedIndex() - RETAINED_APPLIED_ENTRIES;
            if (compactTo >= node.firstIndex() + RETAINED_APPLIED_ENTRIES) {
                node.compact(compactTo);
            }
            term = node.term();
            commitIndex = node.commitIndex();
        }
    }

    private void failQueued(EtcdError error) {
        List<Proposal> left = new ArrayList<>();
        proposals.drainTo(left);
        for (Proposal proposal : left) {
            wait.fail(proposal.requestId(), error.exception());
        }
    }
}
