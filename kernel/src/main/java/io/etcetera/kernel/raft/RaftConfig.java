package io.etcetera.kernel.raft;

/**
 * What a {@link RaftNode} needs to know about itself and its limits (etcd/raft's {@code Config}).
 *
 * @param id this member's id (etcd's member id, never 0)
 * @param electionTimeoutTicks ticks a follower waits without hearing a leader before it
 *     campaigns; the actual timeout is randomized in {@code [electionTimeoutTicks,
 *     2 * electionTimeoutTicks)} as the Raft paper (section 5.2) and etcd/raft do
 * @param heartbeatTicks ticks between a leader's heartbeats; less than {@code electionTimeoutTicks}
 * @param randomSeed seed of the node's only source of randomness (the election timeout), so one
 *     seed replays one run exactly
 * @param preVote whether to run a pre-vote round before raising the term (dissertation 9.6), so a
 *     partitioned member rejoining does not depose a healthy leader
 * @param checkQuorum whether a leader steps down when it has not heard from a quorum within an
 *     election timeout, and followers ignore votes while they hear from a leader (dissertation 6.2)
 * @param maxSizePerMsgBytes the most entry bytes in one MsgApp (at least one entry is always sent),
 *     also the most committed-entry bytes in one {@link Ready}
 * @param maxInflightMessages the most MsgApps in flight to one follower in replicate state
 */
public record RaftConfig(
        long id,
        int electionTimeoutTicks,
        int heartbeatTicks,
        long randomSeed,
        boolean preVote,
        boolean checkQuorum,
        long maxSizePerMsgBytes,
        int maxInflightMessages) {

    /** etcd's default election timeout (1000 ms) over its default heartbeat interval (100 ms). */
    public static final int DEFAULT_ELECTION_TIMEOUT_TICKS = 10;
    /** One heartbeat per tick, as etcd (a tick is one heartbeat interval). */
    public static final int DEFAULT_HEARTBEAT_TICKS = 1;
    /** etcd server's {@code maxSizePerMsg}: 1 MiB. */
    public static final long DEFAULT_MAX_SIZE_PER_MSG_BYTES = 1024 * 1024;
    /** etcd server's {@code maxInflightMsgs}: 4096 / 8. */
    public static final int DEFAULT_MAX_INFLIGHT_MESSAGES = 512;

    public RaftConfig {
        if (id == RaftNode.NONE) {
            throw new IllegalArgumentException("raft node id must not be 0");
        }
        if (heartbeatTicks <= 0) {
            throw new IllegalArgumentException("heartbeatTicks must be positive, got " + heartbeatTicks);
        }
        if (electionTimeoutTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("electionTimeoutTicks (" + electionTimeoutTicks
                    + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
        }
        if (maxSizePerMsgBytes <= 0) {
            throw new IllegalArgumentException("maxSizePerMsgBytes must be positive, got " + maxSizePerMsgBytes);
        }
        if (maxInflightMessages <= 0) {
            throw new IllegalArgumentException("maxInflightMessages must be positive, got " + maxInflightMessages);
        }
    }

    /** etcd's defaults, with pre-vote and check-quorum on (etcd server enables both with flags; we default them on). */
    public RaftConfig(long id, int electionTimeoutTicks, long randomSeed) {
        this(id, electionTimeoutTicks, DEFAULT_HEARTBEAT_TICKS, randomSeed, true, true,
                DEFAULT_MAX_SIZE_PER_MSG_BYTES, DEFAULT_MAX_INFLIGHT_MESSAGES);
    }
}
