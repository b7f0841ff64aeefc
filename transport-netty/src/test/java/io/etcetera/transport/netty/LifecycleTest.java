package io.etcetera.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.transport.PeerTransportProvider;
import io.etcetera.spi.transport.TransportContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Start, close and the provider: ports and threads are released; bad URLs are refused. */
class LifecycleTest {

    private static boolean transportThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("etcetera-peer-"));
    }

    @Test
    void closeReleasesPortsAndThreads() throws IOException {
        TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
        TestMember b = TestMember.started(2, 0xc1, TestMember.FAST);
        TestMember.connectAll(a, b);
        Eventually.until("connected", () -> a.activeTo(b) && b.activeTo(a));
        assertThat(a.transport.boundAddresses()).extracting(address -> address.getPort()).containsExactly(a.port);

        a.close();
        b.close();
        a.close();

        assertThat(a.transport.boundAddresses()).isEmpty();
        for (TestMember member : List.of(a, b)) {
            try (ServerSocket socket = new ServerSocket(member.port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(member.port);
            }
        }
        Eventually.until("no transport thread is left", () -> !transportThreadsAlive());
    }

    @Test
    void providerIsFoundByItsId() {
        assertThat(ServiceLoader.load(PeerTransportProvider.class).stream().map(p -> p.get().id()))
                .contains(NettyPeerTransportProvider.ID);
    }

    @Test
    void startTwiceOrAfterCloseFails() {
        TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
        assertThatIllegalStateException().isThrownBy(a::start);
        a.close();
        assertThatIllegalStateException().isThrownBy(a::start);
    }

    @Test
    void listenUrlMustBeHttpWithAnIpAddress() {
        for (String url : List.of("https://127.0.0.1:0", "http://example.com:2380", "http://127.0.0.1")) {
            var transport = new NettyPeerTransportProvider().create(new TransportContext(1, 0xc1,
                    List.of(URI.create(url)), new RecordingHandler(), TestMember.FAST));
            assertThatThrownBy(transport::start).as(url).isInstanceOf(IOException.class);
            transport.close();
        }
    }

    @Test
    void portInUseFailsTheStart() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var transport = new NettyPeerTransportProvider().create(new TransportContext(1, 0xc1,
                    List.of(URI.create("http://127.0.0.1:" + taken.getLocalPort())), new RecordingHandler(),
                    TestMember.FAST));
            assertThatThrownBy(transport::start).isInstanceOf(IOException.class);
            transport.close();
        }
    }

    @Test
    void peerIdsAndUrlsAreChecked() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST)) {
            assertThatIllegalArgumentException().isThrownBy(() -> a.transport.addPeer(1, List.of(a.url())));
            assertThatIllegalArgumentException().isThrownBy(() -> a.transport.addPeer(0, List.of(a.url())));
            assertThatIllegalArgumentException().isThrownBy(() -> a.transport.addPeer(2, List.of()));
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> a.transport.addPeer(2, List.of(URI.create("https://127.0.0.1:1"))));
        }
    }

    @Test
    void updatedUrlsAreUsedOnTheNextDial() {
        try (TestMember a = TestMember.started(1, 0xc1, TestMember.FAST);
             TestMember b = TestMember.started(2, 0xc1, TestMember.FAST)) {
            a.transport.addPeer(b.id, List.of(URI.create("http://127.0.0.1:" + TestMember.freePort())));
            b.transport.addPeer(a.id, List.of(a.url()));
            Eventually.until("the dial to the wrong port fails",
                    () -> a.transport.status(b.id).orElseThrow().lastError().isPresent());
            a.transport.updatePeer(b.id, List.of(b.url()));
            Eventually.until("a reaches b at its new URL", () -> a.activeTo(b));
        }
    }
}
