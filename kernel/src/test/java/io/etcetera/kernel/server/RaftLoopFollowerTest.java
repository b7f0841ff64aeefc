package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.Eventually;
import io.etcetera.kernel.ServerConfig;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.raft.RaftConfig;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.wal.CountingFileSync;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft loop of a follower (member 2 of 1, 2, 3) with its peer traffic recorded:
 * <ul>
 *   <li>a peer message reaching an idle loop is handled on the transport thread that read it,
 *       persisted before it is answered; with anything queued before it, it waits its turn;</li>
 *   <li>a ReadIndex round, as etcd 3.4.23's {@code linearizableReadLoop}: asked again when
 *       unanswered, failed with "etcdserver: leader changed" when a new leader appears.</li>
 * </ul>
 */
class RaftLoopFollowerTest {

    private static final long LEADER = 1;
    private static final long FOLLOWER = 2;
    private static final long OTHER = 3;
    /** Entries the bootstrap wrote: one conf change per member, at term 1. */
    private static final long BOOTSTRAP_ENTRIES = 3;

    @TempDir
    Path dir;

    private final CountingFileSync sync = new CountingFileSync();
    private final RecordingPeerTransport transport = new RecordingPeerTransport(sync::fileSyncs);
    private final List<RecordingPeerTransport.Sent> sent = transport.sent();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private RaftLoop loop;
    private Wal wal;

    /** A follower loop, not started; its election timeout is far beyond any test's length. */
    @BeforeEach
    void createFollower() throws Exception {
        wal = Wal.create(dir, new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, sync));
        RaftNode node = RaftNode.bootstrap(new RaftConfig(FOLLOWER, 1000, 7), List.of(LEADER, FOLLOWER, OTHER));
        loop = new RaftLoop(node, wal, committed -> { }, new Wait(), ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS,
                () -> { }, fatal::set);
        loop.connect(transport);
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        wal.close();
        assertThat(fatal.get()).isNull();
    }

    @Test
    void anAppendToAnIdleLoopIsPersistedAndAnsweredOnTheCallingThread() {
        int syncsBefore = sync.fileSyncs();

        loop.onMessage(LEADER, append(BOOTSTRAP_ENTRIES + 1).toByteArray());

        assertThat(sent).hasSize(1);
        RecordingPeerTransport.Sent answer = sent.get(0);
        assertThat(answer.message().getType()).isEqualTo(MessageType.MsgAppResp);
        assertThat(answer.message().getIndex()).isEqualTo(BOOTSTRAP_ENTRIES + 1);
        assertThat(answer.message().getReject()).isFalse();
        assertThat(answer.thread()).isSameAs(Thread.currentThread());
        assertThat(answer.counter()).as("answered only after the fsync").isGreaterThan(syncsBefore);
    }

    @Test
    void aMessageBehindQueuedEventsWaitsForTheLoopThread() {
        loop.unreachable(LEADER);

        loop.onMessage(LEADER, append(BOOTSTRAP_ENTRIES + 1).toByteArray());
        assertThat(sent).as("nothing is stepped before the queued event").isEmpty();

        loop.start();
        Eventually.await("the loop thread answers the append", () -> !sent.isEmpty());
        assertThat(sent.get(0).message().getIndex()).isEqualTo(BOOTSTRAP_ENTRIES + 1);
        assertThat(sent.get(0).thread()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void anUnansweredReadIndexRoundIsAskedAgainUnderTheSameContext() {
        startFollowingLeader();
        loop.readIndex();

        Eventually.await("the ReadIndex asked twice", () -> readIndexRequests().size() >= 2);
        assertThat(readIndexRequests().get(1).getEntries(0).getData())
                .isEqualTo(readIndexRequests().get(0).getEntries(0).getData());
    }

    @Test
    void aNewLeaderFailsTheReadIndexRoundInFlightWithLeaderChanged() {
        startFollowingLeader();
        CompletableFuture<Long> read = loop.readIndex();
        Eventually.await("the ReadIndex sent to the leader", () -> !readIndexRequests().isEmpty());

        loop.onMessage(OTHER, heartbeat(OTHER, 3).toByteArray());

        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(EtcdException.class,
                        e -> assertThat(e.error()).isEqualTo(EtcdError.LEADER_CHANGED))
                .hasMessage("etcdserver: leader changed");
    }

    /** Starts the loop and lets it hear from {@link #LEADER} at term 2. */
    private void startFollowingLeader() {
        loop.start();
        loop.onMessage(LEADER, heartbeat(LEADER, 2).toByteArray());
        Eventually.await("the leader known", () -> loop.lead() == LEADER);
    }

    private List<Message> readIndexRequests() {
        return sent.stream().map(RecordingPeerTransport.Sent::message)
                .filter(m -> m.getType() == MessageType.MsgReadIndex).toList();
    }

    /** The leader's append of entry {@code index} at term 2, right after the bootstrap entries. */
    private static Message append(long index) {
        return Message.newBuilder().setType(MessageType.MsgApp).setFrom(LEADER).setTo(FOLLOWER).setTerm(2)
                .setLogTerm(1).setIndex(index - 1).setCommit(BOOTSTRAP_ENTRIES)
                .addEntries(Entry.newBuilder().setTerm(2).setIndex(index).setType(EntryType.EntryNormal))
                .build();
    }

    private static Message heartbeat(long leader, long term) {
        return Message.newBuilder().setType(MessageType.MsgHeartbeat).setFrom(leader).setTo(FOLLOWER).setTerm(term)
                .build();
    }
}
