package io.etcetera.kernel.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.raft.tracker.ProgressState;
import org.junit.jupiter.api.Test;

/** Log compaction and InstallSnapshot (Raft paper, section 7). */
class SnapshotTest {

    /** Member 3 misses entries that the leader then compacts away. */
    private static TestCluster clusterWithFollowerBehindCompaction() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.isolate(3);
        for (int i = 0; i < 5; i++) {
            cluster.propose(1, "v" + i);
        }
        RaftNode leader = cluster.node(1);
        leader.createSnapshot(ByteString.copyFromUtf8("state at " + leader.appliedIndex()));
        leader.compact(leader.appliedIndex());
        return cluster;
    }

    @Test
    void followerBehindTheCompactionPointIsSentTheSnapshot() {
        TestCluster cluster = clusterWithFollowerBehindCompaction();
        long snapshotIndex = cluster.node(1).appliedIndex();
        cluster.heal();

        cluster.tick(1, 1);

        RaftNode follower = cluster.node(3);
        assertThat(follower.storage().snapshot().getMetadata().getIndex()).isEqualTo(snapshotIndex);
        assertThat(follower.storage().snapshot().getData().toStringUtf8()).isEqualTo("state at " + snapshotIndex);
        assertThat(follower.commitIndex()).isEqualTo(cluster.node(1).commitIndex());
        assertThat(follower.confState()).isEqualTo(cluster.node(1).confState());
        assertThat(cluster.node(1).progress(3).state()).isEqualTo(ProgressState.REPLICATE);

        cluster.propose(1, "after snapshot");
        assertThat(cluster.applied(3)).containsExactly("after snapshot");
    }

    @Test
    void failedSnapshotReturnsTheFollowerToProbing() {
        TestCluster cluster = clusterWithFollowerBehindCompaction();
        cluster.heal();
        cluster.drop(m -> TestCluster.is(m, MessageType.MsgSnap));
        cluster.tick(1, 1);
        assertThat(cluster.node(1).progress(3).state()).isEqualTo(ProgressState.SNAPSHOT);

        cluster.node(1).reportSnapshot(3, true);
        assertThat(cluster.node(1).progress(3).state()).isEqualTo(ProgressState.PROBE);

        // The next heartbeat round sends the snapshot again, and this time it arrives.
        cluster.heal();
        cluster.tick(1, 2);
        assertThat(cluster.node(3).commitIndex()).isEqualTo(cluster.node(1).commitIndex());
    }

    @Test
    void snapshotIsNotSentWhileNoneCoversTheCompactionPoint() {
        TestCluster cluster = TestCluster.of(3).elect(1);
        cluster.isolate(3);
        cluster.propose(1, "a");
        RaftNode leader = cluster.node(1);
        leader.compact(leader.appliedIndex());
        cluster.heal();

        cluster.tick(1, 3);
        assertThat(leader.progress(3).state()).as("etcd's ErrSnapshotTemporarilyUnavailable").isNotEqualTo(ProgressState.SNAPSHOT);

        leader.createSnapshot(ByteString.copyFromUtf8("late"));
        cluster.tick(1, 2);
        assertThat(cluster.node(3).commitIndex()).isEqualTo(leader.commitIndex());
    }
}
