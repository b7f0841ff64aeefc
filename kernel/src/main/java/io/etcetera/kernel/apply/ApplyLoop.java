package io.etcetera.kernel.apply;

import io.etcetera.kernel.raft.pb.Entry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The apply loop: ONE thread that applies committed entries, in index order, to the state
 * machine and then advances the {@link AppliedIndex} (etcd's {@code applyAll} on its FIFO
 * scheduler). The Raft loop hands it batches through a bounded queue; when the queue is full the
 * Raft loop blocks, which is the back-pressure that keeps commit from running away from apply.
 *
 * <p>A raft snapshot from the leader is installed in the same order ({@link #submitInstall}): the
 * install replaces the state machine and moves the applied index to the backend's new consistent
 * index, which may be past the snapshot index (the leader dumps its backend when it sends). Entries
 * at or below the applied index are then skipped: they are already in the backend (etcd's
 * consistent-index check in {@code applyEntryNormal}).
 *
 * <p>An entry whose index is above the applied index + 1, or any failure other than a request's own
 * {@code EtcdException}, stops the loop and is reported to the fatal-error handler: the member
 * must not go on with a state machine that skipped or half-applied an entry.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread (the Raft loop's in practice).
 */
public final class ApplyLoop implements AutoCloseable {

    /** The most committed batches (one per Raft Ready) queued for applying. */
    public static final int MAX_QUEUED_BATCHES = 1024;
    /** How often, in ms, an idle apply thread checks whether it was asked to stop. */
    private static final long IDLE_POLL_MS = 50;

    private final EntryApplier applier;
    private final AppliedIndex appliedIndex;
    private final Consumer<Throwable> onFatal;
    private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(MAX_QUEUED_BATCHES);
    private final Thread thread;
    private volatile boolean stopping;
    /** True while the apply thread applies an entry nothing else is queued behind (apply thread only). */
    private boolean applyingLastQueued;

    /**
     * Installs a raft snapshot on the apply thread: replaces the state machine's contents.
     * Returns the applied index afterwards (the restored backend's consistent index).
     */
    @FunctionalInterface
    public interface SnapshotInstall {
        long install(long snapshotIndex);
    }

    /** What the apply thread works through, in order. */
    private sealed interface Work {
    }

    private record Entries(List<Entry> committed) implements Work {
    }

    private record Install(long snapshotIndex, SnapshotInstall install) implements Work {
    }

    /**
     * A loop applying with {@code applier} and publishing progress to {@code appliedIndex};
     * {@code onFatal} is called, on the apply thread, with the failure that stopped the loop.
     */
    public ApplyLoop(EntryApplier applier, AppliedIndex appliedIndex, Consumer<Throwable> onFatal) {
        this.applier = applier;
        this.appliedIndex = appliedIndex;
        this.onFatal = onFatal;
        this.thread = new Thread(this::run, "etcetera-apply");
    }

    /** Starts the apply thread. */
    public void start() {
        thread.start();
    }

    /**
     * Queues committed entries for applying, blocking while the queue is full.
     *
     * @throws InterruptedException when interrupted while waiting for room
     * @throws IllegalStateException when the apply thread has stopped, so room will never come
     */
    public void submit(List<Entry> committed) throws InterruptedException {
        enqueue(new Entries(committed), "entries up to " + committed.get(committed.size() - 1).getIndex());
    }

    /**
     * Queues the install of the raft snapshot at {@code snapshotIndex}, after every batch queued
     * before it, blocking while the queue is full.
     *
     * @throws InterruptedException when interrupted while waiting for room
     * @throws IllegalStateException when the apply thread has stopped
     */
    public void submitInstall(long snapshotIndex, SnapshotInstall install) throws InterruptedException {
        enqueue(new Install(snapshotIndex, install), "the snapshot at " + snapshotIndex);
    }

    private void enqueue(Work work, String what) throws InterruptedException {
        while (!queue.offer(work, IDLE_POLL_MS, TimeUnit.MILLISECONDS)) {
            if (!thread.isAlive()) {
                throw new IllegalStateException("the apply loop has stopped; cannot apply " + what);
            }
        }
    }

    /**
     * An executor for the continuations of proposals (the response to a write): a task handed
     * over by the apply thread while it applies the last entry queued runs at once on that thread,
     * since nothing waits behind it and a hand-off would only add a thread wake-up to the write's
     * latency; any other task (the apply thread is busy with more entries, or the caller is not
     * the apply thread) goes to {@code delegate}, so under load the apply thread never does a
     * client's work. Tasks run inline must be short and never block. Thread-safe.
     */
    public Executor inlineWhenIdle(Executor delegate) {
        return task -> {
            if (Thread.currentThread() == thread && applyingLastQueued) {
                task.run();
            } else {
                delegate.execute(task);
            }
        };
    }

    /** Applies what is already queued, then stops the thread and waits for it. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Work work = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (work == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                if (work instanceof Install install) {
                    long applied = install.install().install(install.snapshotIndex());
                    appliedIndex.advanceTo(Math.max(applied, appliedIndex.get()));
                    continue;
                }
                List<Entry> committed = ((Entries) work).committed();
                for (int i = 0; i < committed.size(); i++) {
                    Entry entry = committed.get(i);
                    long expected = appliedIndex.get() + 1;
                    if (entry.getIndex() < expected) {
                        // already in the backend: restored from a snapshot taken after it
                        continue;
                    }
                    if (entry.getIndex() != expected) {
                        throw new IllegalStateException(
                                "apply loop expected entry " + expected + " but got " + entry.getIndex());
                    }
                    applyingLastQueued = i == committed.size() - 1 && queue.isEmpty();
                    try {
                        applier.apply(entry);
                    } finally {
                        applyingLastQueued = false;
                    }
                    appliedIndex.advanceTo(entry.getIndex());
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            onFatal.accept(e);
        } catch (Error e) {
            onFatal.accept(e);
            throw e;
        }
    }
}
