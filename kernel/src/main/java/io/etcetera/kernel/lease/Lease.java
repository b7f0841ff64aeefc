package io.etcetera.kernel.lease;

import com.google.protobuf.ByteString;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * One granted lease as the lessor holds it (etcd's {@code lease.Lease}). Not thread-safe: every
 * field is guarded by the owning {@link Lessor}'s monitor.
 */
final class Lease {

    /** The expiry of a lease on a member that is not the leader: it never expires there. */
    static final long FOREVER = Long.MAX_VALUE;

    final long id;
    /** The TTL granted, in seconds. */
    final long ttlSeconds;
    /** The remaining TTL last checkpointed through the log, in seconds; 0 = none. */
    long remainingTtlSeconds;
    /** When the lease expires, on the lessor's clock (ns), or {@link #FOREVER}. */
    long expiryNanos = FOREVER;
    /** The pending expiry check, or {@code null} when none is scheduled. */
    Lessor.Scheduled expiryCheck;
    /** The pending checkpoint, or {@code null} when none is scheduled (at most one per lease). */
    Lessor.Scheduled checkpoint;
    /** The keys attached, in unsigned byte order (the order a revocation deletes them in). */
    final NavigableSet<ByteString> keys = new TreeSet<>(ByteString.unsignedLexicographicalComparator());
    /** Completed when the lease's revocation is applied. */
    final CompletableFuture<Void> revoked = new CompletableFuture<>();

    Lease(long id, long ttlSeconds, long remainingTtlSeconds) {
        this.id = id;
        this.ttlSeconds = ttlSeconds;
        this.remainingTtlSeconds = remainingTtlSeconds;
    }

    /** The TTL a refresh starts from: the checkpointed remaining TTL if any, else the granted TTL (s). */
    long effectiveTtlSeconds() {
        return remainingTtlSeconds > 0 ? remainingTtlSeconds : ttlSeconds;
    }

    /** Time left before expiry at {@code nowNanos}, in ns; {@link #FOREVER} when it never expires. */
    long remainingNanos(long nowNanos) {
        return expiryNanos == FOREVER ? FOREVER : expiryNanos - nowNanos;
    }

    boolean expired(long nowNanos) {
        return remainingNanos(nowNanos) <= 0;
    }
}
