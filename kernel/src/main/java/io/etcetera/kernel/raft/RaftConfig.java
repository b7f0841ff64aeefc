package io.etcetera.kernel.raft;

/**
 * What a {@link RaftNode} needs to know about itself.
 *
 * @param id this member's id (etcd's member id, never 0)
 * @param electionTimeoutTicks ticks a follower waits without hearing a leader before it
 *     campaigns; the actual timeout is randomized in {@code [electionTimeoutTicks,
 *     2 * electionTimeoutTicks)} as the Raft paper (section 5.2) and etcd/raft do
 * @param randomSeed seed of the node's only source of randomness (the election timeout), so one
 *     seed replays one run exactly
 */
public record RaftConfig(long id, int electionTimeoutTicks, long randomSeed) {

    /** etcd's default election timeout (1000 ms) over its default heartbeat interval (100 ms). */
    public static final int DEFAULT_ELECTION_TIMEOUT_TICKS = 10;

    public RaftConfig {
        if (id == RaftNode.NONE) {
            throw new IllegalArgumentException("raft node id must not be 0");
        }
        if (electionTimeoutTicks <= 0) {
            throw new IllegalArgumentException("electionTimeoutTicks must be positive, got " + electionTimeoutTicks);
        }
    }
}
