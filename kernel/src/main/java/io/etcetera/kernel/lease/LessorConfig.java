package io.etcetera.kernel.lease;

/**
 * The lessor's timing, with etcd 3.4's rules and defaults ({@code etcdserver/server.go},
 * {@code lease/lessor.go}).
 *
 * @param minLeaseTtlSeconds the least TTL granted, in seconds: shorter requests are raised to it
 *     (etcd's {@code minLeaseTTL}; see {@link #minLeaseTtlSeconds(int, long)})
 * @param promoteExtendMs how much longer than their remaining TTL leases live when this member
 *     becomes leader, in ms (etcd extends by the election timeout, so that clients have time to
 *     find the new leader)
 * @param checkpointIntervalMs how often the leader checkpoints the remaining TTL of each lease
 *     longer than this interval through the log, in ms (etcd's {@code --experimental-lease-checkpoint-interval},
 *     default 5 min)
 * @param expiredLeaseRetryMs how long the leader waits for the revocation of an expired lease to
 *     be applied before proposing it again, in ms (etcd uses its request timeout, 7 s with the
 *     default election timeout)
 */
public record LessorConfig(long minLeaseTtlSeconds, long promoteExtendMs, long checkpointIntervalMs,
        long expiredLeaseRetryMs) {

    /** etcd's default heartbeat interval, in ms ({@code --heartbeat-interval}). */
    public static final long DEFAULT_HEARTBEAT_MS = 100;
    /** etcd's default election timeout in heartbeat ticks ({@code --election-timeout} 1000 ms / 100 ms). */
    public static final int DEFAULT_ELECTION_TICKS = 10;
    /** etcd's default lease checkpoint interval, in ms ({@code defaultLeaseCheckpointInterval}). */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * 60 * 1000;
    /** etcd's request timeout with default timing, in ms: 5 s + 2 × the election timeout. */
    public static final long DEFAULT_EXPIRED_LEASE_RETRY_MS = 5_000 + 2 * DEFAULT_ELECTION_TICKS * DEFAULT_HEARTBEAT_MS;

    public LessorConfig {
        if (minLeaseTtlSeconds < 1) {
            throw new IllegalArgumentException("minLeaseTtlSeconds must be at least 1, got " + minLeaseTtlSeconds);
        }
        if (promoteExtendMs < 0 || checkpointIntervalMs <= 0 || expiredLeaseRetryMs <= 0) {
            throw new IllegalArgumentException("lessor intervals must be positive: extend " + promoteExtendMs
                    + " ms, checkpoint " + checkpointIntervalMs + " ms, retry " + expiredLeaseRetryMs + " ms");
        }
    }

    /** The lessor's timing with etcd's default heartbeat (100 ms) and election timeout (1 s): min TTL 2 s. */
    public static LessorConfig defaults() {
        return new LessorConfig(minLeaseTtlSeconds(DEFAULT_ELECTION_TICKS, DEFAULT_HEARTBEAT_MS),
                DEFAULT_ELECTION_TICKS * DEFAULT_HEARTBEAT_MS, DEFAULT_CHECKPOINT_INTERVAL_MS,
                DEFAULT_EXPIRED_LEASE_RETRY_MS);
    }

    /**
     * etcd's minimum lease TTL: {@code ceil((3 * electionTicks / 2) * heartbeat)} in whole seconds,
     * with integer division as etcd computes it; 2 s for the defaults (15 ticks of 100 ms, rounded
     * up). A lease shorter than that could expire during a leader election.
     */
    public static long minLeaseTtlSeconds(int electionTicks, long heartbeatMs) {
        long minTtlMs = (3L * electionTicks / 2) * heartbeatMs;
        return Math.max(1, (minTtlMs + 999) / 1000);
    }
}
