package io.etcetera.kernel.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leadership transfer (Raft dissertation, section 3.10): MsgTransferLeader, then MsgTimeoutNow. */
class LeaderTransferTest {

    @Test
    void leaderHandsOverToAnUpToDateFollower() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        long term = cluster.node(1).term();

        cluster.node(1).transferLeader(2);
        cluster.stabilize();

        assertThat(cluster.node(2).state()).isEqualTo(StateType.LEADER);
        assertThat(cluster.node(2).term()).isEqualTo(term + 1);
        assertThat(cluster.node(1).lead()).isEqualTo(2);
    }

    @Test
    void leaderCatchesALaggingTransfereeUpFirst() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.isolate(3);
        cluster.propose(1, "x");
        cluster.heal();

        cluster.node(1).transferLeader(3);
        cluster.stabilize();

        assertThat(cluster.node(3).state()).isEqualTo(StateType.LEADER);
        assertThat(cluster.applied(3)).contains("x");
    }

    @Test
    void proposalsAreRefusedWhileTransferring() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.drop(m -> TestCluster.is(m, MessageType.MsgTimeoutNow));
        cluster.node(1).transferLeader(2);
        cluster.stabilize();

        assertThat(cluster.node(1).leadTransferee()).isEqualTo(2);
        assertThatThrownBy(() -> cluster.node(1).propose(List.of(new byte[] {1})))
                .isInstanceOf(ProposalDroppedException.class);
    }

    @Test
    void transferIsAbandonedAfterAnElectionTimeout() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.drop(m -> TestCluster.is(m, MessageType.MsgTimeoutNow));
        cluster.node(1).transferLeader(2);
        cluster.stabilize();

        cluster.tick(1, TestCluster.ELECTION_TIMEOUT_TICKS);

        assertThat(cluster.node(1).leadTransferee()).isEqualTo(RaftNode.NONE);
        assertThat(cluster.node(1).state()).isEqualTo(StateType.LEADER);
        cluster.propose(1, "accepted again");
        assertThat(cluster.applied(2)).contains("accepted again");
    }

    @Test
    void followerForwardsTransferRequestToTheLeader() {
        TestCluster cluster = TestCluster.of(3).elect(1);

        cluster.node(3).transferLeader(3);
        cluster.stabilize();

        assertThat(cluster.node(3).state()).isEqualTo(StateType.LEADER);
    }
}
