package io.etcetera.kernel.lease;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The thread that runs the lessor's {@link Lessor#tick} every {@link #TICK_INTERVAL_MS} (etcd's
 * lessor {@code runLoop}). Time itself comes from the lessor's clock; this only decides how often
 * the lessor looks at it, so a lease is revoked at most about one interval after it expires.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class LessorTimer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LessorTimer.class.getName());

    /** How often the lessor looks for expired leases and due checkpoints, in ms (etcd: 500 ms). */
    public static final long TICK_INTERVAL_MS = 500;

    private final ScheduledExecutorService executor;

    private LessorTimer(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts ticking {@code lessor} on a daemon thread named {@code etcetera-lessor}. */
    public static LessorTimer start(Lessor lessor) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "etcetera-lessor");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                lessor.tick();
            } catch (RuntimeException e) {
                // a failed turn must not end the schedule: leases would never expire again
                LOG.log(Level.WARNING, "lessor tick failed; trying again in " + TICK_INTERVAL_MS + " ms", e);
            }
        }, TICK_INTERVAL_MS, TICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        return new LessorTimer(executor);
    }

    /** Stops ticking and waits for a turn in progress to end. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(TICK_INTERVAL_MS * 4, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
