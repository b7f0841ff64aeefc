package io.etcetera.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.spi.transport.TransportLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-peer queue is bounded: a gone peer never blocks the sender; drops are reported. */
class BoundedQueueTest {
    private static final int MAX_QUEUED = 8;
    private static final TransportLimits SMALL_QUEUE = new TransportLimits(MAX_QUEUED, 1024, 64, 2_000, 10, 100, 200,
            64 * 1024, 10_000, 2);

    @Test
    void sendNeverBlocksAndDropsBeyondTheQueueWhenThePeerIsDown() {
        try (TestMember a = TestMember.started(1, 0xc1, SMALL_QUEUE)) {
            a.transport.addPeer(2, List.of(java.net.URI.create("http://127.0.0.1:" + TestMember.freePort())));
            int count = 10_000;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                a.transport.send(2, new byte[100]);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
            assertThat(a.transport.status(2).orElseThrow().droppedMessages()).isEqualTo(count - MAX_QUEUED);
            assertThat(a.transport.status(2).orElseThrow().active()).isFalse();
            Eventually.until("peer reported unreachable", () -> a.handler.unreachableCount(2) > 0);
            Eventually.until("the dial failure is recorded",
                    () -> a.transport.status(2).orElseThrow().lastError().isPresent());
        }
    }

    @Test
    void tooLargeMessagesAreRefusedBySender() {
        try (TestMember a = TestMember.started(1, 0xc1, SMALL_QUEUE)) {
            a.transport.addPeer(2, List.of(java.net.URI.create("http://127.0.0.1:" + TestMember.freePort())));
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> a.transport.send(2, new byte[1025]))
                    .withMessageContaining("maxMessageBytes");
        }
    }
}
