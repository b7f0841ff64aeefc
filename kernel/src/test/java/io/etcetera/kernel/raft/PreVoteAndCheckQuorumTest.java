package io.etcetera.kernel.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pre-vote and check-quorum (Raft dissertation, sections 9.6 and 6.2) as stories on a 3-member cluster. */
class PreVoteAndCheckQuorumTest {

    @Test
    void partitionedMemberDoesNotRaiseItsTermWithPreVote() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        long term = cluster.node(1).term();

        // Member 3 is cut off and times out again and again.
        cluster.isolate(3);
        cluster.tick(3, 100);

        assertThat(cluster.node(3).term()).as("pre-votes fail without raising the term").isEqualTo(term);
        assertThat(cluster.node(3).state()).isEqualTo(StateType.PRE_CANDIDATE);

        // When it comes back, the leader of the unchanged term keeps leading.
        cluster.heal();
        cluster.tick(1, 1);
        assertThat(cluster.node(1).state()).isEqualTo(StateType.LEADER);
        assertThat(cluster.node(1).term()).isEqualTo(term);
        assertThat(cluster.node(3).lead()).isEqualTo(1);
    }

    @Test
    void withoutPreVoteAPartitionedMemberDeposesTheLeaderWhenItReturns() {
        TestCluster cluster = TestCluster.of(3, false, false).elect(1);
        long term = cluster.node(1).term();

        cluster.isolate(3);
        cluster.tick(3, 100);
        assertThat(cluster.node(3).term()).isGreaterThan(term);

        // Back in touch, its next campaign carries the higher term: the leader steps down.
        cluster.heal();
        cluster.tick(3, 2 * TestCluster.ELECTION_TIMEOUT_TICKS);
        assertThat(cluster.node(1).term()).isGreaterThan(term);
    }

    @Test
    void leaderStepsDownWhenItHasNotHeardFromAQuorumWithinAnElectionTimeout() {
        TestCluster cluster = TestCluster.of(3).elect(1);

        cluster.isolate(1);
        cluster.tick(1, 2 * TestCluster.ELECTION_TIMEOUT_TICKS);

        assertThat(cluster.node(1).state()).isEqualTo(StateType.FOLLOWER);
    }

    @Test
    void leaderWithAQuorumStaysLeader() {
        TestCluster cluster = TestCluster.of(3).elect(1);

        cluster.isolate(3);
        cluster.tick(1, 5 * TestCluster.ELECTION_TIMEOUT_TICKS);

        assertThat(cluster.node(1).state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void followerThatHearsFromItsLeaderIgnoresVoteRequests() {
        TestCluster cluster = TestCluster.of(3, false, true).elect(1);
        long term = cluster.node(1).term();

        // Member 3 cannot hear the leader and campaigns; member 2 still hears the leader.
        cluster.drop(m -> m.getFrom() == 1 && m.getTo() == 3);
        cluster.node(3).campaign();
        cluster.stabilize();

        assertThat(cluster.node(2).term()).as("in the leader's lease, the vote is ignored").isEqualTo(term);
        assertThat(cluster.node(1).state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void newLeaderIsElectedAfterTheLeaderIsCutOff() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.propose(1, "before");

        cluster.isolate(1);
        cluster.tickAll(3 * TestCluster.ELECTION_TIMEOUT_TICKS);

        long leader = cluster.node(2).state() == StateType.LEADER ? 2 : 3;
        assertThat(cluster.node(leader).state()).isEqualTo(StateType.LEADER);
        cluster.propose(leader, "after");
        assertThat(cluster.applied(2)).containsExactly("before", "after");
        assertThat(cluster.applied(3)).containsExactly("before", "after");
    }
}
