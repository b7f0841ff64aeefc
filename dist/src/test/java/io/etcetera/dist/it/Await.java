package io.etcetera.dist.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes: the only way these tests wait.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
final class Await {

    /** Pause between two polls, in milliseconds; short enough to keep tests fast. */
    private static final long POLL_INTERVAL_MS = 50;

    private Await() {
    }

    /**
     * Returns once {@code condition} holds; polls every {@value #POLL_INTERVAL_MS} ms.
     *
     * @param timeout the longest time to wait
     * @param what what is awaited, for the failure message ("etcd at 127.0.0.1:4001 serves reads")
     * @param condition evaluated on the calling thread; must not block for long
     * @throws AssertionError if the deadline passes first
     */
    static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(POLL_INTERVAL_MS).toNanos());
        }
    }
}
