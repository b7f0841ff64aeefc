package io.etcetera.kernel.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of the Raft paper (Figure 2 and sections 5.2-5.4), on a single node stepped
 * by hand: the messages it receives are written out, the messages it sends are inspected.
 */
class RaftPaperRulesTest {

    private static final long ME = 1;

    /** A member of {1, 2, 3} restarted at {@code term} with entries of the given terms at 1, 2, ... */
    private static RaftNode node(long term, long... entryTerms) {
        MemoryStorage storage = new MemoryStorage();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < entryTerms.length; i++) {
            entries.add(entry(i + 1, entryTerms[i], "e" + (i + 1)));
        }
        storage.append(entries);
        storage.setHardState(HardState.newBuilder().setTerm(term).build());
        ConfState voters = ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();
        return RaftNode.restart(new RaftConfig(ME, 10, 1, 7, false, false, 1024 * 1024, 256), storage, voters, 0);
    }

    private static Entry entry(long index, long term, String data) {
        return Entry.newBuilder().setIndex(index).setTerm(term).setData(ByteString.copyFromUtf8(data)).build();
    }

    /** Handles every Ready (persisting and applying at once) and returns the messages sent. */
    private static List<Message> sent(RaftNode node) {
        List<Message> messages = new ArrayList<>();
        while (node.hasReady()) {
            Ready ready = node.ready();
            messages.addAll(ready.messages());
            node.advance(ready);
        }
        return messages;
    }

    private static Message.Builder msg(MessageType type, long from, long term) {
        return Message.newBuilder().setType(type).setFrom(from).setTo(ME).setTerm(term);
    }

    /** Makes {@code node} leader of its next term with the vote of member 2. */
    private static void elect(RaftNode node) {
        node.campaign();
        sent(node);
        node.step(msg(MessageType.MsgVoteResp, 2, node.term()).build());
        sent(node);
        assertThat(node.state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void nodeWithHigherTermInRequestStepsDownToFollower() {
        RaftNode leader = node(1, 1);
        elect(leader);

        leader.step(msg(MessageType.MsgHeartbeat, 3, 5).build());

        assertThat(leader.state()).isEqualTo(StateType.FOLLOWER);
        assertThat(leader.term()).isEqualTo(5);
        assertThat(leader.lead()).isEqualTo(3);
    }

    @Test
    void candidateRejectsVoteFromStaleTerm() {
        RaftNode node = node(5, 1);
        node.campaign();
        sent(node);

        node.step(msg(MessageType.MsgVote, 2, 3).setIndex(9).setLogTerm(3).build());

        assertThat(sent(node)).as("a stale vote request is ignored").isEmpty();
        assertThat(node.term()).isEqualTo(6);
        assertThat(node.vote()).isEqualTo(ME);
    }

    @Test
    void staleVoteResponseIsNotCounted() {
        RaftNode node = node(5, 1);
        node.campaign();
        sent(node);

        node.step(msg(MessageType.MsgVoteResp, 2, 5).build());

        assertThat(node.state()).isEqualTo(StateType.CANDIDATE);
    }

    @Test
    void followerGrantsAtMostOneVotePerTerm() {
        RaftNode node = node(1, 1);
        node.step(msg(MessageType.MsgVote, 2, 2).setIndex(1).setLogTerm(1).build());
        List<Message> first = sent(node);
        node.step(msg(MessageType.MsgVote, 3, 2).setIndex(1).setLogTerm(1).build());
        List<Message> second = sent(node);

        assertThat(first).singleElement().satisfies(m -> assertThat(m.getReject()).isFalse());
        assertThat(second).singleElement().satisfies(m -> assertThat(m.getReject()).isTrue());
        assertThat(node.vote()).isEqualTo(2);
    }

    @Test
    void voteIsPersistedBeforeTheResponseIsSent() {
        RaftNode node = node(1, 1);
        node.step(msg(MessageType.MsgVote, 2, 2).setIndex(1).setLogTerm(1).build());

        Ready ready = node.ready();

        assertThat(ready.messages()).isNotEmpty();
        assertThat(ready.hardState().getVote()).isEqualTo(2);
        assertThat(ready.mustSync()).isTrue();
    }

    @Test
    void electionRestrictionRejectsVoterWithShorterLog() {
        RaftNode node = node(2, 1, 2, 2);

        node.step(msg(MessageType.MsgVote, 2, 3).setIndex(2).setLogTerm(2).build());

        assertThat(sent(node)).singleElement().satisfies(m -> {
            assertThat(m.getType()).isEqualTo(MessageType.MsgVoteResp);
            assertThat(m.getReject()).isTrue();
        });
    }

    @Test
    void electionRestrictionRejectsVoterWithOlderLastTerm() {
        RaftNode node = node(3, 1, 3);

        node.step(msg(MessageType.MsgVote, 2, 4).setIndex(5).setLogTerm(2).build());

        assertThat(sent(node)).singleElement().satisfies(m -> assertThat(m.getReject()).isTrue());
    }

    @Test
    void candidateVotesForItselfAndRequestsVotesFromEveryVoter() {
        RaftNode node = node(1, 1, 1);

        node.campaign();
        List<Message> messages = sent(node);

        assertThat(node.state()).isEqualTo(StateType.CANDIDATE);
        assertThat(node.term()).isEqualTo(2);
        assertThat(node.vote()).isEqualTo(ME);
        assertThat(messages).extracting(Message::getTo).containsExactly(2L, 3L);
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.getType()).isEqualTo(MessageType.MsgVote);
            assertThat(m.getIndex()).isEqualTo(2);
            assertThat(m.getLogTerm()).isEqualTo(1);
        });
    }

    @Test
    void candidateBecomesLeaderWithVotesFromAMajority() {
        RaftNode node = node(1, 1);
        node.campaign();
        sent(node);

        node.step(msg(MessageType.MsgVoteResp, 3, 2).build());

        assertThat(node.state()).isEqualTo(StateType.LEADER);
    }

    @Test
    void candidateStepsDownWhenAMajorityRejects() {
        RaftNode node = node(1, 1);
        node.campaign();
        sent(node);

        node.step(msg(MessageType.MsgVoteResp, 2, 2).setReject(true).build());
        node.step(msg(MessageType.MsgVoteResp, 3, 2).setReject(true).build());

        assertThat(node.state()).isEqualTo(StateType.FOLLOWER);
        assertThat(node.term()).isEqualTo(2);
    }

    @Test
    void candidateStepsDownOnAppendFromLeaderOfSameTerm() {
        RaftNode node = node(1, 1);
        node.campaign();
        sent(node);

        node.step(msg(MessageType.MsgApp, 2, 2).setIndex(1).setLogTerm(1).build());

        assertThat(node.state()).isEqualTo(StateType.FOLLOWER);
        assertThat(node.lead()).isEqualTo(2);
    }

    @Test
    void electionTimeoutIsRandomizedBetweenOneAndTwoTimeouts() {
        for (long seed = 0; seed < 50; seed++) {
            RaftNode node = RaftNode.restart(new RaftConfig(ME, 10, 1, seed, false, false, 1024, 8), storageOf(1),
                    ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build(), 0);
            int ticks = 0;
            while (node.state() == StateType.FOLLOWER) {
                node.tick();
                ticks++;
            }
            assertThat(ticks).as("seed " + seed).isBetween(10, 19);
        }
    }

    private static MemoryStorage storageOf(long term) {
        MemoryStorage storage = new MemoryStorage();
        storage.setHardState(HardState.newBuilder().setTerm(term).build());
        return storage;
    }

    @Test
    void newLeaderAppendsAnEmptyEntryOfItsTerm() {
        RaftNode leader = node(1, 1, 1);
        elect(leader);

        assertThat(leader.lastIndex()).isEqualTo(3);
        assertThat(leader.termAt(3)).isEqualTo(2);
    }

    @Test
    void leaderCommitsOnlyCurrentTermEntries() {
        // Entries 1 and 2 are of term 1; the leader of term 2 appends entry 3.
        RaftNode leader = node(1, 1, 1);
        elect(leader);

        leader.step(msg(MessageType.MsgAppResp, 2, 2).setIndex(2).build());
        sent(leader);
        assertThat(leader.commitIndex()).as("a majority holds entry 2, but it is of term 1").isZero();

        leader.step(msg(MessageType.MsgAppResp, 2, 2).setIndex(3).build());
        sent(leader);
        assertThat(leader.commitIndex()).as("entry 3 of term 2 commits, and entries 1-2 with it").isEqualTo(3);
    }

    @Test
    void leaderCountsItsOwnEntryOnlyOncePersisted() {
        RaftNode leader = node(1, 1);
        elect(leader);
        leader.propose(List.of("x".getBytes()));
        Ready ready = leader.ready();
        long x = ready.entries().get(ready.entries().size() - 1).getIndex();

        leader.step(msg(MessageType.MsgAppResp, 2, 2).setIndex(x).build());
        assertThat(leader.commitIndex()).as("only member 2 has persisted it").isLessThan(x);

        leader.advance(ready);
        assertThat(leader.commitIndex()).isEqualTo(x);
    }

    @Test
    void followerRejectsAppendWithMismatchedPrevLog() {
        RaftNode follower = node(2, 1, 1);

        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(2).setLogTerm(2).addEntries(entry(3, 2, "x")).build());

        assertThat(sent(follower)).singleElement().satisfies(m -> {
            assertThat(m.getType()).isEqualTo(MessageType.MsgAppResp);
            assertThat(m.getReject()).isTrue();
            assertThat(m.getIndex()).isEqualTo(2);
            assertThat(m.getRejectHint()).as("its last index, to skip back").isEqualTo(2);
        });
        assertThat(follower.lastIndex()).isEqualTo(2);
    }

    @Test
    void followerRejectsAppendBeyondItsLog() {
        RaftNode follower = node(2, 1);

        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(5).setLogTerm(2).build());

        assertThat(sent(follower)).singleElement().satisfies(m -> assertThat(m.getRejectHint()).isEqualTo(1));
    }

    @Test
    void followerDeletesConflictingEntryAndAllThatFollowIt() {
        RaftNode follower = node(3, 1, 2, 2, 2);

        follower.step(msg(MessageType.MsgApp, 2, 3).setIndex(1).setLogTerm(1)
                .addEntries(entry(2, 3, "new")).build());
        sent(follower);

        assertThat(follower.lastIndex()).isEqualTo(2);
        assertThat(follower.termAt(2)).isEqualTo(3);
    }

    @Test
    void followerKeepsEntriesAfterAnAppendItAlreadyHolds() {
        RaftNode follower = node(2, 1, 2, 2);

        // A delayed, shorter append must not truncate entries it does not conflict with.
        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(1).setLogTerm(1).addEntries(entry(2, 2, "e2")).build());
        sent(follower);

        assertThat(follower.lastIndex()).isEqualTo(3);
    }

    @Test
    void followerCommitsUpToLeaderCommitButNotBeyondLastNewEntry() {
        RaftNode follower = node(2, 1, 1, 1);

        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(1).setLogTerm(1).setCommit(3)
                .addEntries(entry(2, 1, "e2")).build());

        assertThat(follower.commitIndex()).as("min(leaderCommit 3, last new entry 2)").isEqualTo(2);
    }

    @Test
    void followerAcknowledgesAppendOnlyAfterPersistingIt() {
        RaftNode follower = node(2, 1);

        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(1).setLogTerm(1).addEntries(entry(2, 2, "x")).build());
        Ready ready = follower.ready();

        assertThat(ready.entries()).extracting(Entry::getIndex).containsExactly(2L);
        assertThat(ready.mustSync()).isTrue();
        assertThat(ready.messages()).singleElement().satisfies(m -> assertThat(m.getIndex()).isEqualTo(2));
    }

    @Test
    void leaderRetriesWithEarlierEntriesAfterRejection() {
        RaftNode leader = node(1, 1, 1, 1);
        elect(leader);
        // Probe: next is 5 (after the empty entry at 4); member 2 only holds entry 1.
        leader.step(msg(MessageType.MsgAppResp, 2, 2).setIndex(3).setReject(true).setRejectHint(1).build());

        List<Message> retry = sent(leader);

        assertThat(retry).filteredOn(m -> m.getTo() == 2 && m.getType() == MessageType.MsgApp)
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getIndex()).isEqualTo(1);
                    assertThat(m.getEntriesList()).extracting(Entry::getIndex).containsExactly(2L, 3L, 4L);
                });
    }

    @Test
    void appliedEntriesAreCommittedAndPersisted() {
        RaftNode follower = node(2, 1);
        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(1).setLogTerm(1).setCommit(2)
                .addEntries(entry(2, 2, "x")).build());

        Ready first = follower.ready();
        assertThat(first.committedEntries()).as("entry 2 is committed but not yet persisted here")
                .extracting(Entry::getIndex).containsExactly(1L);
        follower.advance(first);

        assertThat(follower.ready().committedEntries()).extracting(Entry::getIndex).containsExactly(2L);
    }

    @Test
    void appendBeforeTheCommitIndexIsAnsweredWithTheCommitIndex() {
        RaftNode follower = node(2, 1, 1);
        follower.step(msg(MessageType.MsgApp, 2, 2).setIndex(2).setLogTerm(1).setCommit(2).build());
        sent(follower);

        follower.step(msg(MessageType.MsgApp, 3, 3).setIndex(1).setLogTerm(1).addEntries(entry(2, 3, "other")).build());

        assertThat(sent(follower)).singleElement().satisfies(m -> assertThat(m.getIndex()).isEqualTo(2));
        assertThat(follower.termAt(2)).as("committed entries are never replaced").isEqualTo(1);
    }

    @Test
    void committedEntryIsNeverOverwritten() {
        MemoryStorage storage = new MemoryStorage();
        storage.append(List.of(entry(1, 1, "a"), entry(2, 1, "b")));
        RaftLog log = new RaftLog(storage);
        log.commitTo(2);

        assertThatThrownBy(() -> log.maybeAppend(1, 1, 2, List.of(entry(2, 3, "other"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("conflicts with the committed log");
        assertThatThrownBy(() -> log.commitTo(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void localMessagesCannotComeFromPeers() {
        RaftNode node = node(1, 1);

        assertThatThrownBy(() -> node.step(msg(MessageType.MsgHup, 2, 1).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
