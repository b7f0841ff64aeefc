package io.etcetera.kernel.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

/** Single-step membership changes and learners, applied when their entry is applied. */
class MembershipChangeTest {

    private static ConfChange change(ConfChangeType type, long nodeId) {
        return ConfChange.newBuilder().setType(type).setNodeId(nodeId).build();
    }

    private static void changeMembership(TestCluster cluster, long leader, ConfChangeType type, long nodeId) {
        cluster.node(leader).proposeConfChange(change(type, nodeId));
        cluster.stabilize();
    }

    @Test
    void learnerJoinsReceivesTheLogAndIsThenPromotedToVoter() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.propose(1, "before");
        cluster.addJoiner(4);

        changeMembership(cluster, 1, ConfChangeType.ConfChangeAddLearnerNode, 4);
        cluster.tick(1, 1);

        assertThat(cluster.node(1).confState().getLearnersList()).containsExactly(4L);
        assertThat(cluster.node(4).confState().getLearnersList()).containsExactly(4L);
        assertThat(cluster.applied(4)).containsExactly("before");

        changeMembership(cluster, 1, ConfChangeType.ConfChangeAddNode, 4);
        assertThat(cluster.node(1).confState().getVotersList()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(cluster.node(1).confState().getLearnersList()).isEmpty();
    }

    @Test
    void learnerNeitherVotesNorCountsTowardsCommit() {
        TestCluster cluster = TestCluster.of(1).elect(1);
        cluster.addJoiner(2);
        changeMembership(cluster, 1, ConfChangeType.ConfChangeAddLearnerNode, 2);
        cluster.tick(1, 1);

        // The leader alone is still the quorum: commits do not wait for the learner.
        cluster.isolate(2);
        cluster.propose(1, "x");
        assertThat(cluster.applied(1)).containsExactly("x");

        // A learner never campaigns.
        cluster.heal();
        cluster.isolate(1);
        cluster.tick(2, 5 * TestCluster.ELECTION_TIMEOUT_TICKS);
        assertThat(cluster.node(2).state()).isEqualTo(StateType.FOLLOWER);
    }

    @Test
    void onlyOneMembershipChangeMayBePendingAtATime() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.drop(m -> TestCluster.is(m, MessageType.MsgApp));
        cluster.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddLearnerNode, 4));
        cluster.stabilize();

        assertThatThrownBy(() -> cluster.node(1).proposeConfChange(change(ConfChangeType.ConfChangeAddLearnerNode, 5)))
                .isInstanceOf(ProposalDroppedException.class)
                .hasMessageContaining("not applied yet");
    }

    @Test
    void removingAVoterShrinksTheQuorum() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        changeMembership(cluster, 1, ConfChangeType.ConfChangeRemoveNode, 3);
        assertThat(cluster.node(1).confState().getVotersList()).containsExactly(1L, 2L);

        // With members {1, 2}, member 3 being gone does not matter, member 2 does.
        cluster.isolate(3);
        cluster.propose(1, "with two");
        assertThat(cluster.applied(2)).containsExactly("with two");
        assertThat(cluster.node(1).progress(3)).isNull();
    }

    @Test
    void removedLeaderStepsDownAndTheRestElectANewOne() {
        TestCluster cluster = TestCluster.of(3).elect(1);

        changeMembership(cluster, 1, ConfChangeType.ConfChangeRemoveNode, 1);

        assertThat(cluster.node(1).state()).isEqualTo(StateType.FOLLOWER);
        cluster.isolate(1);
        cluster.tickAll(3 * TestCluster.ELECTION_TIMEOUT_TICKS);
        long leader = cluster.node(2).state() == StateType.LEADER ? 2 : 3;
        assertThat(cluster.node(leader).state()).isEqualTo(StateType.LEADER);
        assertThat(cluster.node(leader).confState().getVotersList()).containsExactly(2L, 3L);
    }

    @Test
    void newVoterIsCaughtUpFromScratch() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.propose(1, "a");
        cluster.addJoiner(4);

        changeMembership(cluster, 1, ConfChangeType.ConfChangeAddNode, 4);
        cluster.tick(1, 1);

        assertThat(cluster.node(1).progress(4).state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(cluster.node(4).commitIndex()).isEqualTo(cluster.node(1).commitIndex());
        assertThat(cluster.applied(4)).containsExactly("a");
    }
}
