package io.etcetera.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Raft messages between members: delivery in order per sender, batching, reconnect, RTT. */
class MessageStreamTest {
    private static final long CLUSTER = 0xc1;
    private final List<TestMember> members = new ArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(TestMember::close);
    }

    private TestMember started(long id) {
        TestMember member = TestMember.started(id, CLUSTER, TestMember.FAST);
        members.add(member);
        return member;
    }

    private static byte[] message(long from, int sequence) {
        return ByteBuffer.allocate(12).putLong(from).putInt(sequence).array();
    }

    private static List<Integer> sequences(List<byte[]> messages) {
        return messages.stream().map(m -> ByteBuffer.wrap(m).getInt(8)).toList();
    }

    private static List<Integer> upTo(int count) {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(i);
        }
        return expected;
    }

    @Test
    void twoMembersExchangeMessagesInOrder() {
        TestMember a = started(1);
        TestMember b = started(2);
        TestMember.connectAll(a, b);
        int count = 2_000;
        for (int i = 0; i < count; i++) {
            a.transport.send(b.id, message(a.id, i));
            b.transport.send(a.id, message(b.id, i));
        }
        Eventually.until("b got all of a's messages", () -> b.handler.messagesFrom(a.id).size() == count);
        Eventually.until("a got all of b's messages", () -> a.handler.messagesFrom(b.id).size() == count);
        assertThat(sequences(b.handler.messagesFrom(a.id))).isEqualTo(upTo(count));
        assertThat(sequences(a.handler.messagesFrom(b.id))).isEqualTo(upTo(count));
    }

    @Test
    void threeMembersKeepEachSendersOrder() {
        TestMember a = started(1);
        TestMember b = started(2);
        TestMember c = started(3);
        TestMember.connectAll(a, b, c);
        int count = 1_000;
        List<TestMember> all = List.of(a, b, c);
        for (int i = 0; i < count; i++) {
            for (TestMember from : all) {
                for (TestMember to : all) {
                    if (from != to) {
                        from.transport.send(to.id, message(from.id, i));
                    }
                }
            }
        }
        for (TestMember to : all) {
            for (TestMember from : all) {
                if (from != to) {
                    Eventually.until(to.id + " got all of " + from.id + "'s messages",
                            () -> to.handler.messagesFrom(from.id).size() == count);
                    assertThat(sequences(to.handler.messagesFrom(from.id))).isEqualTo(upTo(count));
                    assertThat(to.handler.messagesFrom(from.id)).allSatisfy(
                            m -> assertThat(ByteBuffer.wrap(m).getLong(0)).isEqualTo(from.id));
                }
            }
        }
    }

    @Test
    void messagesQueuedBeforeTheConnectionGoOutInOneBatch() {
        TestMember a = started(1);
        TestMember b = new TestMember(2, CLUSTER, TestMember.freePort(), TestMember.FAST);
        members.add(b);
        a.transport.addPeer(b.id, List.of(b.url()));
        int count = 100;
        for (int i = 0; i < count; i++) {
            a.transport.send(b.id, message(a.id, i));
        }
        b.transport.addPeer(a.id, List.of(a.url()));
        b.start();
        Eventually.until("b got the queued messages", () -> b.handler.messagesFrom(a.id).size() == count);
        assertThat(sequences(b.handler.messagesFrom(a.id))).isEqualTo(upTo(count));
        // The sender counts a batch after its flush returns, which may be after the receiver has it.
        Eventually.until("a counted what it sent", () -> a.transport.status(b.id).orElseThrow().sentMessages() == count);
        assertThat(a.transport.status(b.id)).hasValueSatisfying(status -> {
            assertThat(status.sentMessages()).isEqualTo(count);
            assertThat(status.sentBatches()).isEqualTo(1);
            assertThat(status.droppedMessages()).isZero();
        });
    }

    @Test
    void reconnectsAfterThePeerRestarts() {
        TestMember a = started(1);
        TestMember b = started(2);
        TestMember.connectAll(a, b);
        a.transport.send(b.id, message(a.id, 0));
        Eventually.until("first message delivered", () -> b.handler.messagesFrom(a.id).size() == 1);

        b.close();
        Eventually.until("a sees b gone", () -> !a.activeTo(b));
        Eventually.until("a reports b unreachable", () -> a.handler.unreachableCount(b.id) > 0);

        TestMember restarted = new TestMember(b.id, CLUSTER, b.port, TestMember.FAST);
        members.add(restarted);
        restarted.transport.addPeer(a.id, List.of(a.url()));
        restarted.start();
        Eventually.until("a reconnects to the restarted b", () -> a.activeTo(restarted));
        a.transport.send(b.id, message(a.id, 1));
        Eventually.until("message after restart delivered", () -> !restarted.handler.messagesFrom(a.id).isEmpty());
        assertThat(sequences(restarted.handler.messagesFrom(a.id))).endsWith(1);
    }

    @Test
    void measuresRoundTripTime() {
        TestMember a = started(1);
        TestMember b = started(2);
        TestMember.connectAll(a, b);
        Eventually.until("a has a round-trip time to b",
                () -> a.transport.status(b.id).orElseThrow().roundTripTimeMs().isPresent());
        assertThat(a.transport.status(b.id).orElseThrow().roundTripTimeMs().getAsDouble()).isPositive();
    }

    @Test
    void messagesToUnknownPeersAreIgnored() {
        TestMember a = started(1);
        a.transport.send(99, message(a.id, 0));
        assertThat(a.transport.status(99)).isEmpty();
    }
}
