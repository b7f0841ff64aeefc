package io.etcetera.kernel.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique request ids, as etcd's {@code pkg/idutil.Generator} makes them: the low 2 bytes of the
 * member id, then 5 bytes of the start time in ms, then a 1-byte counter that may overflow into
 * the time bytes. Ids stay unique across restarts that are at least 1 ms apart.
 *
 * <p>Thread-safe.
 */
final class RequestIdGenerator {

    private static final int TIME_BITS = 40;
    private static final int COUNTER_BITS = 8;
    private static final int SUFFIX_BITS = TIME_BITS + COUNTER_BITS;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;

    private final long prefix;
    private final AtomicLong suffix;

    /** A generator for {@code memberId} started at {@code startMillis} (ms since the epoch). */
    RequestIdGenerator(long memberId, long startMillis) {
        this.prefix = (memberId & 0xFFFF) << SUFFIX_BITS;
        this.suffix = new AtomicLong((startMillis & ((1L << TIME_BITS) - 1)) << COUNTER_BITS);
    }

    long next() {
        return prefix | (suffix.incrementAndGet() & SUFFIX_MASK);
    }
}
