package io.etcetera.kernel.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Request timeouts of the per-request paths (proposals, linearizable reads): one daemon thread
 * for the whole JVM runs the timeouts that fire; a timeout is cancelled, and removed from the
 * queue at once, when its request completes first, so a finished request leaves nothing behind
 * (a JDK delayed executor would keep one task per request for the whole timeout, about 120 bytes
 * each: tens of thousands at a few thousand requests per second). Thread-safe.
 */
final class RequestTimeouts {

    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private RequestTimeouts() {
    }

    /**
     * Runs {@code onTimeout} after {@code timeoutMs} ms unless {@code request} completes first
     * (successfully or not), in which case nothing runs. {@code onTimeout} runs on the timer
     * thread and must be short.
     */
    static void onTimeout(CompletableFuture<?> request, long timeoutMs, Runnable onTimeout) {
        ScheduledFuture<?> timeout = TIMER.schedule(onTimeout, timeoutMs, TimeUnit.MILLISECONDS);
        request.whenComplete((ignored, failure) -> timeout.cancel(false));
    }

    /** Timeouts scheduled and neither fired nor cancelled yet. */
    static int pending() {
        return TIMER.getQueue().size();
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "etcetera-request-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
