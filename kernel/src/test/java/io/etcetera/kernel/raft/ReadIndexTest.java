package io.etcetera.kernel.raft;

import static io.etcetera.kernel.raft.TestCluster.ctx;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.raft.pb.MessageType;
import org.junit.jupiter.api.Test;

/** ReadIndex (Raft dissertation, section 6.4): linearizable reads without writing the log. */
class ReadIndexTest {

    @Test
    void leaderAnswersAReadOnceAQuorumAcknowledgedItsHeartbeat() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.propose(1, "x");
        long commit = cluster.node(1).commitIndex();

        cluster.isolate(2);
        cluster.isolate(3);
        cluster.node(1).readIndex(ctx("read-1"));
        cluster.stabilize();
        assertThat(cluster.reads(1)).as("no quorum confirmed leadership yet").isEmpty();

        cluster.heal();
        cluster.tick(1, 1);
        assertThat(cluster.reads(1)).containsExactly(new ReadState(commit, ctx("read-1")));
    }

    @Test
    void followerReadIsForwardedToTheLeaderAndAnsweredWithItsCommitIndex() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.propose(1, "x");

        cluster.node(3).readIndex(ctx("follower-read"));
        cluster.stabilize();

        assertThat(cluster.reads(3)).containsExactly(new ReadState(cluster.node(1).commitIndex(), ctx("follower-read")));
    }

    @Test
    void newLeaderPostponesReadsUntilItCommitsAnEntryOfItsTerm() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        // The new leader's empty entry cannot commit while its followers drop appends.
        cluster.drop(m -> TestCluster.is(m, MessageType.MsgApp));
        cluster.node(1).transferLeader(2);
        cluster.stabilize();
        assertThat(cluster.node(2).state()).isEqualTo(StateType.LEADER);

        cluster.node(2).readIndex(ctx("early"));
        cluster.tick(2, 3);
        assertThat(cluster.reads(2)).isEmpty();

        cluster.heal();
        cluster.tick(2, 2);
        assertThat(cluster.reads(2)).extracting(ReadState::requestCtx).containsExactly(ctx("early"));
        assertThat(cluster.reads(2).get(0).index()).isEqualTo(cluster.node(2).lastIndex());
    }

    @Test
    void deposedLeaderNeverAnswersAPendingRead() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.isolate(1);
        cluster.node(1).readIndex(ctx("stale"));
        cluster.stabilize();

        cluster.tickAll(3 * TestCluster.ELECTION_TIMEOUT_TICKS);
        cluster.heal();
        cluster.tickAll(2);

        assertThat(cluster.node(1).state()).isEqualTo(StateType.FOLLOWER);
        assertThat(cluster.reads(1)).isEmpty();
    }

    @Test
    void singleMemberAnswersAtOnce() {
        TestCluster cluster = TestCluster.of(1).elect(1);

        cluster.node(1).readIndex(ctx("solo"));
        cluster.stabilize();

        assertThat(cluster.reads(1)).containsExactly(new ReadState(cluster.node(1).commitIndex(), ctx("solo")));
    }
}
