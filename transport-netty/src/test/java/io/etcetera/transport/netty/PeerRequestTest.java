package io.etcetera.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.etcetera.spi.transport.PeerRequestException;
import io.etcetera.spi.transport.PeerRequestHandler;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Request/response calls between members and from non-members (etcd's {@code /members} and
 * {@code /leases} on the peer port), over real loopback sockets.
 */
class PeerRequestTest {
    private static final long CLUSTER = 0xc1;
    private static final long TIMEOUT_MS = 10_000;

    /** Answers by method name; keeps the futures of {@code hang} so that a test can answer them. */
    private static final class Answers implements PeerRequestHandler {
        final List<Long> callers = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<byte[]>> hanging = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<byte[]> onRequest(long from, String method, byte[] body) {
            callers.add(from);
            String text = new String(body, StandardCharsets.UTF_8);
            return switch (method) {
                case "echo" -> CompletableFuture.completedFuture(bytes(from + ":" + text));
                case "fail" -> CompletableFuture.failedFuture(new PeerRequestException(text));
                case "throw" -> throw new IllegalStateException(text);
                case "hang" -> {
                    CompletableFuture<byte[]> answer = new CompletableFuture<>();
                    hanging.add(answer);
                    yield answer;
                }
                default -> PeerRequestHandler.NONE.onRequest(from, method, body);
            };
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(CompletableFuture<byte[]> answer) throws Exception {
        return new String(answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
    }

    private static PeerRequestException failureOf(CompletableFuture<byte[]> answer) throws InterruptedException {
        try {
            answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerRequestException.class);
            return (PeerRequestException) e.getCause();
        } catch (TimeoutException e) {
            fail("the request neither succeeded nor failed within " + TIMEOUT_MS + " ms");
        }
        return fail("the request succeeded");
    }

    @Test
    void requestIsAnsweredWithTheCallersIdentity() throws Exception {
        Answers answers = new Answers();
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST);
             TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, answers)) {
            TestMember.connectAll(a, b);
            assertThat(text(a.transport.request(b.id, "echo", bytes("hello"), TIMEOUT_MS))).isEqualTo("1:hello");
            assertThat(answers.callers).containsExactly(a.id);
        }
    }

    @Test
    void concurrentRequestsAreMatchedToTheirAnswersInAnyOrder() throws Exception {
        Answers answers = new Answers();
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST);
             TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, answers)) {
            TestMember.connectAll(a, b);
            int count = 50;
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(a.transport.request(b.id, "hang", bytes("r" + i), TIMEOUT_MS));
            }
            Eventually.until("every request reaches b", () -> answers.hanging.size() == count);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                order.add(i);
            }
            Collections.reverse(order);
            for (int i : order) {
                answers.hanging.get(i).complete(bytes("answer" + i));
            }
            for (int i = 0; i < count; i++) {
                assertThat(text(calls.get(i))).isEqualTo("answer" + i);
            }
        }
    }

    @Test
    void handlerFailureComesBackAsARemoteErrorWithItsMessage() throws Exception {
        Answers answers = new Answers();
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST);
             TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, answers)) {
            TestMember.connectAll(a, b);
            PeerRequestException failed = failureOf(
                    a.transport.request(b.id, "fail", bytes("etcdserver: requested lease not found"), TIMEOUT_MS));
            assertThat(failed.remote()).isTrue();
            assertThat(failed.getMessage()).isEqualTo("etcdserver: requested lease not found");

            PeerRequestException thrown = failureOf(a.transport.request(b.id, "throw", bytes("boom"), TIMEOUT_MS));
            assertThat(thrown.remote()).isTrue();
            assertThat(thrown.getMessage()).isEqualTo("boom");

            PeerRequestException unknown = failureOf(a.transport.request(b.id, "nope", new byte[0], TIMEOUT_MS));
            assertThat(unknown.remote()).isTrue();
            assertThat(unknown.getMessage()).isEqualTo("unknown peer request method nope");

            assertThat(text(a.transport.request(b.id, "echo", bytes("still"), TIMEOUT_MS)))
                    .as("the connection survives remote errors").isEqualTo("1:still");
        }
    }

    @Test
    void unansweredRequestTimesOutAndTheConnectionStaysUsable() throws Exception {
        Answers answers = new Answers();
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST);
             TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, answers)) {
            TestMember.connectAll(a, b);
            long start = System.nanoTime();
            PeerRequestException failed = failureOf(a.transport.request(b.id, "hang", new byte[0], 300));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(failed.remote()).isFalse();
            assertThat(failed.getMessage()).contains("not answered within 300 ms");
            assertThat(elapsedMs).isGreaterThanOrEqualTo(300);

            answers.hanging.get(0).complete(bytes("too late"));
            assertThat(text(a.transport.request(b.id, "echo", bytes("next"), TIMEOUT_MS))).isEqualTo("1:next");
        }
    }

    @Test
    void requestToUnknownPeerFailsLocally() throws Exception {
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST)) {
            PeerRequestException failed = failureOf(a.transport.request(9, "echo", new byte[0], TIMEOUT_MS));
            assertThat(failed.remote()).isFalse();
            assertThat(failed.getMessage()).contains("unknown peer");
        }
    }

    @Test
    void requestToUnreachablePeerFailsBeforeItsTimeout() throws Exception {
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST)) {
            a.transport.addPeer(2, List.of(URI.create("http://127.0.0.1:" + TestMember.freePort())));
            PeerRequestException failed = failureOf(a.transport.request(2, "echo", new byte[0], 60_000));
            assertThat(failed.remote()).isFalse();
            assertThat(failed.getMessage()).contains("dial 127.0.0.1");
        }
    }

    @Test
    void lostConnectionFailsTheRequestsSentOnIt() throws Exception {
        Answers answers = new Answers();
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST)) {
            TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, answers);
            TestMember.connectAll(a, b);
            CompletableFuture<byte[]> call = a.transport.request(b.id, "hang", new byte[0], 60_000);
            Eventually.until("the request reaches b", () -> answers.hanging.size() == 1);
            b.close();
            PeerRequestException failed = failureOf(call);
            assertThat(failed.remote()).isFalse();
            assertThat(failed.getMessage()).contains("closed");
        }
    }

    @Test
    void refusedConnectionFailsTheRequest() throws Exception {
        try (TestMember a = TestMember.started(1, CLUSTER, TestMember.FAST);
             TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, new Answers())) {
            a.transport.addPeer(b.id, List.of(b.url()));
            PeerRequestException failed = failureOf(a.transport.request(b.id, "echo", new byte[0], TIMEOUT_MS));
            assertThat(failed.remote()).isFalse();
            assertThat(failed.getMessage()).contains("error sender not found");
        }
    }

    @Test
    void nonMemberRequestIsServedFromMemberZero() throws Exception {
        Answers answers = new Answers();
        try (TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, answers)) {
            URI dead = URI.create("http://127.0.0.1:" + TestMember.freePort());
            CompletableFuture<byte[]> call = new NettyPeerTransportProvider()
                    .request(List.of(dead, b.url()), "echo", bytes("join"), TIMEOUT_MS);
            assertThat(text(call)).as("the dead URL is skipped").isEqualTo("0:join");
            assertThat(answers.callers).containsExactly(0L);

            PeerRequestException failed = failureOf(new NettyPeerTransportProvider()
                    .request(List.of(b.url()), "fail", bytes("etcdserver: not capable"), TIMEOUT_MS));
            assertThat(failed.remote()).isTrue();
            assertThat(failed.getMessage()).isEqualTo("etcdserver: not capable");
        }
    }

    @Test
    void connectionWithoutClusterIdCannotCarryRaftMessagesOrSnapshots() throws Exception {
        try (TestMember b = TestMember.started(2, CLUSTER, TestMember.FAST, new Answers())) {
            for (ConnectionKind kind : List.of(ConnectionKind.STREAM, ConnectionKind.SNAPSHOT)) {
                try (RawConnection raw = new RawConnection(b.port)) {
                    raw.hello(kind, 0, 0, b.id);
                    assertThat(raw.readFrameType()).as(kind.name()).isEqualTo(FrameType.REJECT);
                    assertThat(raw.readRestAsText()).isEqualTo("cluster ID mismatch");
                }
            }
            try (RawConnection raw = new RawConnection(b.port)) {
                raw.hello(ConnectionKind.REQUEST, 0, 0, 0);
                assertThat(raw.readFrameType()).isEqualTo(FrameType.HELLO_OK);
                raw.skipRest();
                raw.frame(FrameType.MESSAGE, new byte[] {1, 2, 3});
                assertThat(raw.closedByPeer()).as("a Raft message on a request connection closes it").isTrue();
            }
            assertThat(b.handler.messagesByPeer).isEmpty();
        }
    }

    /** A hand-driven peer connection, to send what a well-behaved dialer never would. */
    private static final class RawConnection implements AutoCloseable {
        private final Socket socket;
        private final DataOutputStream out;
        private final DataInputStream in;
        private int remaining;

        RawConnection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TIMEOUT_MS);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        void hello(ConnectionKind kind, long clusterId, long from, long to) throws IOException {
            out.writeInt(1 + Hello.BODY_BYTES);
            out.writeByte(FrameType.HELLO.code);
            out.writeInt(Hello.MAGIC);
            out.writeByte(Hello.PROTOCOL_VERSION);
            out.writeByte(kind.code);
            out.writeLong(clusterId);
            out.writeLong(from);
            out.writeLong(to);
            out.flush();
        }

        void frame(FrameType type, byte[] body) throws IOException {
            out.writeInt(1 + body.length);
            out.writeByte(type.code);
            out.write(body);
            out.flush();
        }

        FrameType readFrameType() throws IOException {
            remaining = in.readInt() - 1;
            return FrameType.of(in.readByte());
        }

        String readRestAsText() throws IOException {
            byte[] rest = in.readNBytes(remaining);
            return new String(rest, StandardCharsets.UTF_8);
        }

        void skipRest() throws IOException {
            in.readNBytes(remaining);
        }

        boolean closedByPeer() throws IOException {
            try {
                return in.read() == -1;
            } catch (java.net.SocketException e) {
                return true; // reset by the peer
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
