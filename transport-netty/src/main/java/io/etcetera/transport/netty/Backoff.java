package io.etcetera.transport.netty;

/**
 * Bounded exponential backoff between redials: {@code min}, {@code 2 min}, {@code 4 min}, ... up
 * to {@code max}, back to {@code min} after a success. No jitter: peers redial each other
 * independently, and determinism keeps tests exact. Not thread-safe; owned by one event loop.
 */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private long nextMs;

    Backoff(long minMs, long maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.nextMs = minMs;
    }

    /** The wait before the next attempt, in ms; doubles the one after, up to the bound. */
    long next() {
        long wait = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return wait;
    }

    /** After a success: the next wait is the minimum again. */
    void reset() {
        nextMs = minMs;
    }
}
