package io.etcetera.kernel.lease;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link LeaseClock} that moves only when a test advances it. Thread-safe. */
public final class FakeClock implements LeaseClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the clock forward by {@code step}. */
    public void advance(Duration step) {
        nanos.addAndGet(step.toNanos());
    }
}
