package io.etcetera.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handshake admits only known members of the same cluster, as etcd's rafthttp handlers do. */
class HandshakeTest {

    private static Optional<String> lastError(TestMember from, TestMember to) {
        return from.transport.status(to.id).orElseThrow().lastError();
    }

    @Test
    void memberOfAnotherClusterIsRefused() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc2, TestMember.FAST)) {
            TestMember.connectAll(a, b);
            a.transport.send(b.id, new byte[] {1});
            Eventually.until("a is told of the mismatch",
                    () -> lastError(a, b).filter(e -> e.contains("cluster ID mismatch")).isPresent());
            Eventually.until("b is told of the mismatch",
                    () -> lastError(b, a).filter(e -> e.contains("cluster ID mismatch")).isPresent());
            assertThat(a.activeTo(b)).isFalse();
            assertThat(b.handler.messagesFrom(a.id)).isEmpty();
            Eventually.until("a reports b unreachable", () -> a.handler.unreachableCount(b.id) > 0);
        }
    }

    @Test
    void unknownSenderIsRefused() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            a.transport.addPeer(b.id, List.of(b.url()));
            a.transport.send(b.id, new byte[] {1});
            Eventually.until("a is refused as unknown",
                    () -> lastError(a, b).filter(e -> e.contains("error sender not found")).isPresent());
            assertThat(b.handler.messagesFrom(a.id)).isEmpty();

            b.transport.addPeer(a.id, List.of(a.url()));
            Eventually.until("a is admitted once b knows it", () -> a.activeTo(b));
            Eventually.until("the queued message arrives", () -> b.handler.messagesFrom(a.id).size() == 1);
        }
    }

    @Test
    void removedMemberIsRefused() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            b.handler.removed.add(a.id);
            TestMember.connectAll(a, b);
            Eventually.until("a is refused as removed",
                    () -> lastError(a, b).filter(e -> e.contains("removed member")).isPresent());
        }
    }

    @Test
    void peerAddressedUnderAnotherIdIsRefused() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            a.transport.addPeer(3, List.of(b.url()));
            b.transport.addPeer(a.id, List.of(a.url()));
            Eventually.until("a is refused for naming the wrong member",
                    () -> a.transport.status(3).orElseThrow().lastError()
                            .filter(e -> e.contains("to field mismatch")).isPresent());
        }
    }

    @Test
    void removingAPeerClosesItsStreams() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            TestMember.connectAll(a, b);
            Eventually.until("connected", () -> a.activeTo(b) && b.activeTo(a));
            a.transport.removePeer(b.id);
            assertThat(a.transport.status(b.id)).isEmpty();
            Eventually.until("b's stream to a is refused after removal",
                    () -> lastError(b, a).filter(e -> e.contains("error sender not found")).isPresent());
        }
    }
}
