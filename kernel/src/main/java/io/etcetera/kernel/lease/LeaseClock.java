package io.etcetera.kernel.lease;

/**
 * The lessor's only source of time: a monotonic clock in nanoseconds, like
 * {@link System#nanoTime()} (an arbitrary origin; only differences mean anything). Injected so
 * that tests decide when leases expire. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface LeaseClock {

    /** The JVM's monotonic clock. */
    LeaseClock SYSTEM = System::nanoTime;

    /** The current time, in nanoseconds from the clock's origin; never decreases. */
    long nanoTime();
}
