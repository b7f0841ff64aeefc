package io.etcetera.kernel;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, instead of sleeping for a guessed time. */
public final class Eventually {

    /** How long a test waits for a condition before it fails. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();

    private Eventually() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError when it does not hold within {@link #DEADLINE}
     */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + DEADLINE);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
