package io.etcetera.transport.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling; fails the test naming what did not happen. */
final class Eventually {
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Eventually() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_DEADLINE, condition);
    }

    static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
