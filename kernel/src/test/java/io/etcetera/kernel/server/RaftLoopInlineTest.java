package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer message reaching an idle Raft loop is handled on the transport thread that read it,
 * persisted before it is answered; with anything queued before it, it waits its turn.
 */
class RaftLoopInlineTest {

    private static final long LEADER = 1;
    private static final long FOLLOWER = 2;

    /** What the loop sent: the message, the thread it was sent on, and the fsyncs done by then. */
    private record Sent(Message message, Thread thread, int fileSyncsBefore) {
    }

    @TempDir
    Path dir;

    private final CountingFileSync sync = new CountingFileSync();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private RaftLoop loop;
    private Wal wal;

    @BeforeEach
    void createFollower() throws Exception {
        wal = Wal.create(dir, new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, sync));
        RaftNode node = RaftNode.bootstrap(new RaftConfig(FOLLOWER, 10, 7), List.of(LEADER, FOLLOWER));
        loop = new RaftLoop(node, wal, committed -> { }, new Wait(), ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS,
                () -> { }, fatal::set);
        loop.connect(new RecordingTransport());
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

        loop.onMessage(LEADER, append(3).toByteArray());

        assertThat(sent).hasSize(1);
        Sent answer = sent.get(0);
        assertThat(answer.message().getType()).isEqualTo(MessageType.MsgAppResp);
        assertThat(answer.message().getIndex()).isEqualTo(3);
        assertThat(answer.message().getReject()).isFalse();
        assertThat(answer.thread()).isSameAs(Thread.currentThread());
        assertThat(answer.fileSyncsBefore()).as("answered only after the fsync").isGreaterThan(syncsBefore);
    }

    @Test
    void aMessageBehindQueuedEventsWaitsForTheLoopThread() {
        loop.unreachable(LEADER);

        loop.onMessage(LEADER, append(3).toByteArray());
        assertThat(sent).as("nothing is stepped before the queued event").isEmpty();

        loop.start();
        Eventually.await("the loop thread answers the append", () -> !sent.isEmpty());
        assertThat(sent.get(0).message().getIndex()).isEqualTo(3);
        assertThat(sent.get(0).thread()).isNotSameAs(Thread.currentThread());
    }

    /** The leader's append of entry {@code index} at term 2, after the two bootstrap entries. */
    private static Message append(long index) {
        return Message.newBuilder().setType(MessageType.MsgApp).setFrom(LEADER).setTo(FOLLOWER).setTerm(2)
                .setLogTerm(1).setIndex(index - 1).setCommit(2)
                .addEntries(Entry.newBuilder().setTerm(2).setIndex(index).setType(EntryType.EntryNormal))
                .build();
    }

    private final class RecordingTransport extends QuietPeerTransport {
        @Override
        public void send(long to, byte[] message) {
            try {
                sent.add(new Sent(Message.parseFrom(message), Thread.currentThread(), sync.fileSyncs()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
    }
}
