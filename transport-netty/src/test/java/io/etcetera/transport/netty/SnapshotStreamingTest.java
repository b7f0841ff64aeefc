package io.etcetera.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.spi.transport.SnapshotPayload;
import io.etcetera.spi.transport.SnapshotStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Snapshots stream in chunks: the surefire heap (64 MiB, see the pom) cannot hold a 64 MiB
 * snapshot, so these tests would fail if either side buffered it whole.
 */
class SnapshotStreamingTest {
    private static final long SIXTY_FOUR_MIB = 64L * 1024 * 1024;
    private static final long SEED = 0x5eed;

    private static byte[] sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static SnapshotPayload generated(byte[] metadata, long sizeBytes, long yieldedBytes) {
        return new SnapshotPayload(metadata, sizeBytes, () -> new GeneratedData(SEED, yieldedBytes));
    }

    @Test
    void streamsSixtyFourMebibytesWithEqualChecksum() throws IOException {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            TestMember.connectAll(a, b);
            AtomicReference<byte[]> receivedDigest = new AtomicReference<>();
            AtomicReference<String> receivedMetadata = new AtomicReference<>();
            b.handler.snapshotReceiver = (from, metadata, data) -> {
                receivedMetadata.set(from + ":" + new String(metadata, StandardCharsets.UTF_8));
                receivedDigest.set(sha256(data));
            };
            byte[] metadata = "MsgSnap index=42 term=7".getBytes(StandardCharsets.UTF_8);

            a.transport.sendSnapshot(b.id, generated(metadata, SIXTY_FOUR_MIB, SIXTY_FOUR_MIB));

            Eventually.until("the snapshot is reported", () -> !a.handler.snapshotStatuses.isEmpty());
            assertThat(a.handler.snapshotStatuses).containsExactly(new RecordingHandler.Status(b.id, SnapshotStatus.FINISH));
            assertThat(receivedMetadata.get()).isEqualTo("1:MsgSnap index=42 term=7");
            assertThat(receivedDigest.get()).isEqualTo(sha256(new GeneratedData(SEED, SIXTY_FOUR_MIB)));
        }
    }

    @Test
    void messagesFlowWhileASnapshotIsStreaming() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            TestMember.connectAll(a, b);
            CountDownLatch release = new CountDownLatch(1);
            b.handler.snapshotReceiver = (from, metadata, data) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                data.transferTo(OutputStream.nullOutputStream());
            };
            a.transport.sendSnapshot(b.id, generated(new byte[0], SIXTY_FOUR_MIB / 4, SIXTY_FOUR_MIB / 4));
            a.transport.send(b.id, new byte[] {7});
            Eventually.until("a message passes the held snapshot", () -> b.handler.messagesFrom(a.id).size() == 1);
            release.countDown();
            Eventually.until("the snapshot completes", () -> a.handler.snapshotStatuses.size() == 1);
            assertThat(a.handler.snapshotStatuses.get(0).status()).isEqualTo(SnapshotStatus.FINISH);
        }
    }

    @Test
    void truncatedSourceFailsOnBothSides() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            TestMember.connectAll(a, b);
            AtomicReference<Throwable> receiverError = new AtomicReference<>();
            b.handler.snapshotReceiver = (from, metadata, data) -> {
                try {
                    data.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    receiverError.set(e);
                    throw e;
                }
            };
            a.transport.sendSnapshot(b.id, generated(new byte[0], 1_000_000, 999_999));
            Eventually.until("the snapshot is reported", () -> !a.handler.snapshotStatuses.isEmpty());
            assertThat(a.handler.snapshotStatuses).containsExactly(new RecordingHandler.Status(b.id, SnapshotStatus.FAILURE));
            Eventually.until("the receiver saw the transfer fail", () -> receiverError.get() != null);
        }
    }

    @Test
    void receiverFailureIsReportedToTheSender() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            TestMember.connectAll(a, b);
            b.handler.snapshotReceiver = (from, metadata, data) -> {
                throw new IOException("disk full");
            };
            a.transport.sendSnapshot(b.id, generated(new byte[0], 10_000_000, 10_000_000));
            Eventually.until("the snapshot is reported", () -> !a.handler.snapshotStatuses.isEmpty());
            assertThat(a.handler.snapshotStatuses).containsExactly(new RecordingHandler.Status(b.id, SnapshotStatus.FAILURE));
        }
    }

    @Test
    void snapshotToAnUnknownOrDownPeerFails() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST)) {
            a.transport.sendSnapshot(9, generated(new byte[0], 10, 10));
            a.transport.addPeer(2, List.of(java.net.URI.create("http://127.0.0.1:" + TestMember.freePort())));
            a.transport.sendSnapshot(2, generated(new byte[0], 10, 10));
            Eventually.until("both are reported", () -> a.handler.snapshotStatuses.size() == 2);
            assertThat(a.handler.snapshotStatuses).containsExactlyInAnyOrder(
                    new RecordingHandler.Status(9, SnapshotStatus.FAILURE),
                    new RecordingHandler.Status(2, SnapshotStatus.FAILURE));
        }
    }
}
