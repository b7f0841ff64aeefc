package io.etcetera.kernel.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The single-member node as a pure state machine: inputs in, Readies out, no I/O. */
class RaftNodeTest {

    private static final long ID = 0x8e9e05c52164694dL;
    private static final long SEED = 42;
    private static final RaftConfig CONFIG = new RaftConfig(ID, 10, SEED);

    /** Plays the driver: "persists" every Ready and collects what it hands to apply. */
    private static final class Driver {
        final List<Entry> persisted = new ArrayList<>();
        final List<Entry> applied = new ArrayList<>();
        final List<Ready> readies = new ArrayList<>();
        HardState hardState = HardState.getDefaultInstance();

        void drain(RaftNode node) {
            while (node.hasReady()) {
                Ready ready = node.ready();
                readies.add(ready);
                if (ready.hardState() != null) {
                    hardState = ready.hardState();
                }
                persisted.addAll(ready.entries());
                applied.addAll(ready.committedEntries());
                node.advance(ready);
            }
        }
    }

    private static List<byte[]> data(String... values) {
        List<byte[]> result = new ArrayList<>();
        for (String value : values) {
            result.add(value.getBytes(StandardCharsets.UTF_8));
        }
        return result;
    }

    @Test
    void freshMemberBootstrapsAtTermOneAndElectsItselfAtTermTwo() throws InvalidProtocolBufferException {
        RaftNode node = RaftNode.bootstrap(CONFIG);
        assertThat(node.term()).isEqualTo(1);
        assertThat(node.state()).isEqualTo(StateType.FOLLOWER);

        node.campaign();
        Driver driver = new Driver();
        driver.drain(node);

        assertThat(node.state()).isEqualTo(StateType.LEADER);
        assertThat(node.lead()).isEqualTo(ID);
        assertThat(node.term()).isEqualTo(2);
        assertThat(driver.hardState).isEqualTo(HardState.newBuilder().setTerm(2).setVote(ID).setCommit(2).build());
        assertThat(driver.persisted).extracting(Entry::getIndex, Entry::getTerm, Entry::getType)
                .containsExactly(
                        tuple(1L, 1L, EntryType.EntryConfChange),
                        tuple(2L, 2L, EntryType.EntryNormal));
        assertThat(driver.applied).isEqualTo(driver.persisted);
        ConfChange addSelf = ConfChange.parseFrom(driver.persisted.get(0).getData());
        assertThat(addSelf.getType()).isEqualTo(ConfChangeType.ConfChangeAddNode);
        assertThat(addSelf.getNodeId()).isEqualTo(ID);
        assertThat(driver.persisted.get(1).getData()).as("a new leader's entry is empty").isEmpty();
    }

    @Test
    void committedEntriesAreHandedOutOnlyAfterTheyWerePersisted() {
        RaftNode node = RaftNode.bootstrap(CONFIG);
        node.campaign();
        new Driver().drain(node);

        node.propose(data("put a"));
        Ready first = node.ready();
        assertThat(first.entries()).extracting(Entry::getIndex).containsExactly(3L);
        assertThat(first.mustSync()).isTrue();
        assertThat(first.committedEntries()).as("not stable yet, so not committed").isEmpty();
        node.advance(first);

        Ready second = node.ready();
        assertThat(second.entries()).isEmpty();
        assertThat(second.committedEntries()).extracting(Entry::getIndex).containsExactly(3L);
        assertThat(second.hardState().getCommit()).isEqualTo(3);
        assertThat(second.mustSync()).as("a commit index change alone needs no fsync").isFalse();
        node.advance(second);

        assertThat(node.hasReady()).isFalse();
        assertThat(node.appliedIndex()).isEqualTo(3);
    }

    @Test
    void proposalsQueuedTogetherArePersistedInOneReady() {
        RaftNode node = RaftNode.bootstrap(CONFIG);
        node.campaign();
        new Driver().drain(node);

        node.propose(data("a", "b", "c"));
        Driver driver = new Driver();
        driver.drain(node);

        List<Ready> withEntries = driver.readies.stream().filter(r -> !r.entries().isEmpty()).toList();
        assertThat(withEntries).hasSize(1);
        assertThat(withEntries.get(0).entries()).extracting(e -> e.getData().toStringUtf8()).containsExactly("a", "b", "c");
        assertThat(driver.applied).extracting(Entry::getIndex).containsExactly(3L, 4L, 5L);
        assertThat(driver.applied).allMatch(e -> e.getTerm() == 2);
    }

    @Test
    void followerRefusesProposals() {
        RaftNode node = RaftNode.bootstrap(CONFIG);

        assertThatThrownBy(() -> node.propose(data("x")))
                .isInstanceOf(ProposalDroppedException.class)
                .hasMessageContaining("FOLLOWER");
    }

    @Test
    void followerCampaignsWhenTheRandomizedElectionTimeoutElapses() {
        RaftNode node = RaftNode.bootstrap(CONFIG);
        int ticks = 0;
        while (node.state() != StateType.LEADER) {
            node.tick();
            ticks++;
            assertThat(ticks).as("election timeout is below 2 x electionTimeoutTicks").isLessThan(20);
        }
        assertThat(ticks).isGreaterThanOrEqualTo(10);
        assertThat(node.term()).isEqualTo(2);

        RaftNode sameSeed = RaftNode.bootstrap(CONFIG);
        for (int i = 0; i < ticks - 1; i++) {
            sameSeed.tick();
        }
        assertThat(sameSeed.state()).as("seed " + SEED + " replays the same timeout").isEqualTo(StateType.FOLLOWER);
        sameSeed.tick();
        assertThat(sameSeed.state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void leaderIgnoresTicksAndCampaigns() {
        RaftNode node = RaftNode.bootstrap(CONFIG);
        node.campaign();
        for (int i = 0; i < 100; i++) {
            node.tick();
        }
        node.campaign();
        assertThat(node.term()).isEqualTo(2);
        assertThat(node.state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void restartedMemberResumesAsFollowerAndCampaignsAtTheNextTerm() {
        // Persisted: entries 1..4, commit 3, term 2; the backend applied up to 2.
        List<Entry> afterApplied = List.of(normal(2, 3, "c"), normal(2, 4, "d"));
        HardState persisted = HardState.newBuilder().setTerm(2).setVote(ID).setCommit(3).build();

        RaftNode node = RaftNode.restart(CONFIG, persisted, 2, 2, afterApplied);
        assertThat(node.state()).isEqualTo(StateType.FOLLOWER);
        assertThat(node.term()).isEqualTo(2);

        Driver driver = new Driver();
        driver.drain(node);
        assertThat(driver.applied).as("committed before the restart").extracting(Entry::getIndex).containsExactly(3L);

        node.campaign();
        driver.drain(node);
        assertThat(node.term()).isEqualTo(3);
        assertThat(driver.persisted).extracting(Entry::getIndex, Entry::getTerm)
                .containsExactly(tuple(5L, 3L));
        assertThat(driver.applied).as("the new term's entry commits the old tail")
                .extracting(Entry::getIndex).containsExactly(3L, 4L, 5L);
        assertThat(driver.hardState.getCommit()).isEqualTo(5);
    }

    @Test
    void leaderCommitsOnlyCurrentTermEntries() {
        // An old-term tail stays uncommitted until an entry of the leader's term is stable.
        HardState persisted = HardState.newBuilder().setTerm(4).setVote(ID).setCommit(1).build();
        RaftNode node = RaftNode.restart(CONFIG, persisted, 1, 4, List.of(normal(4, 2, "old")));
        node.campaign();

        Ready ready = node.ready();
        assertThat(ready.committedEntries()).isEmpty();
        assertThat(ready.hardState().getCommit()).isEqualTo(1);
        node.advance(ready);

        assertThat(node.commitIndex()).isEqualTo(3);
    }

    @Test
    void restartWithACommitBehindTheAppliedIndexStartsFromTheAppliedIndex() {
        HardState persisted = HardState.newBuilder().setTerm(2).setVote(ID).setCommit(1).build();
        RaftNode node = RaftNode.restart(CONFIG, persisted, 3, 2, List.of(normal(2, 4, "d")));

        assertThat(node.commitIndex()).isEqualTo(3);
        assertThat(node.appliedIndex()).isEqualTo(3);
        node.campaign();
        Driver driver = new Driver();
        driver.drain(node);
        assertThat(driver.applied).extracting(Entry::getIndex).containsExactly(4L, 5L);
    }

    @Test
    void restartRejectsEntriesThatDoNotFollowTheAppliedIndex() {
        assertThatThrownBy(() -> RaftNode.restart(CONFIG, HardState.getDefaultInstance(), 3, 1, List.of(normal(1, 5, "x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected index 4, got 5");
    }

    private static Entry normal(long term, long index, String data) {
        return Entry.newBuilder().setTerm(term).setIndex(index).setData(ByteString.copyFromUtf8(data)).build();
    }
}
