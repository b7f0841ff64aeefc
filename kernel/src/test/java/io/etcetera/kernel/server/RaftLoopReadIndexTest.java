package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.Eventually;
import io.etcetera.kernel.ServerConfig;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.raft.RaftConfig;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.wal.CountingFileSync;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's ReadIndex round, as etcd 3.4.23's {@code linearizableReadLoop}: asked again when
 * unanswered, failed with "etcdserver: leader changed" when a new leader appears.
 */
class RaftLoopReadIndexTest {

    private static final long FOLLOWER = 2;

    @TempDir
    Path dir;

    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private RaftLoop loop;
    private Wal wal;

    @BeforeEach
    void startFollowerOfLeader1() throws Exception {
        wal = Wal.create(dir, new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, new CountingFileSync()));
        RaftNode node = RaftNode.bootstrap(new RaftConfig(FOLLOWER, 1000, 7), List.of(1L, FOLLOWER, 3L));
        loop = new RaftLoop(node, wal, committed -> { }, new Wait(), ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS,
                () -> { }, fatal::set);
        loop.connect(new QuietPeerTransport() {
            @Override
            public void send(long to, byte[] message) {
                try {
                    sent.add(Message.parseFrom(message));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        });
        loop.start();
        loop.onMessage(1, heartbeat(1, 2).toByteArray());
        Eventually.await("leader 1 known", () -> loop.lead() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        wal.close();
        assertThat(fatal.get()).isNull();
    }

    @Test
    void anUnansweredRoundIsAskedAgainUnderTheSameContext() {
        loop.readIndex();

        Eventually.await("the ReadIndex asked twice", () -> readIndexRequests().size() >= 2);
        assertThat(readIndexRequests().get(1).getEntries(0).getData())
                .isEqualTo(readIndexRequests().get(0).getEntries(0).getData());
    }

    @Test
    void aNewLeaderFailsTheRoundInFlightWithLeaderChanged() throws Exception {
        CompletableFuture<Long> read = loop.readIndex();
        Eventually.await("the ReadIndex sent to leader 1", () -> !readIndexRequests().isEmpty());

        loop.onMessage(3, heartbeat(3, 3).toByteArray());

        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(EtcdException.class,
                        e -> assertThat(e.error()).isEqualTo(EtcdError.LEADER_CHANGED))
                .hasMessage("etcdserver: leader changed");
    }

    private List<Message> readIndexRequests() {
        return sent.stream().filter(m -> m.getType() == MessageType.MsgReadIndex).toList();
    }

    private static Message heartbeat(long leader, long term) {
        return Message.newBuilder().setType(MessageType.MsgHeartbeat).setFrom(leader).setTo(FOLLOWER).setTerm(term)
                .build();
    }
}
