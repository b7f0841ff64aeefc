package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Listen URLs are bound by etcd's rules ({@code embed/config.go checkBindURLs}). */
class ClientListenAddressTest {

    @Test
    void ipv4LiteralIsBoundAsGiven() throws IOException {
        assertThat(ClientListenAddress.of(URI.create("http://127.0.0.1:2379")))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2379));
    }

    @Test
    void ipv6LiteralIsBoundAsGiven() throws IOException {
        assertThat(ClientListenAddress.of(URI.create("http://[::1]:0")))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 0));
    }

    @Test
    void wildcardIsBoundAsGiven() throws IOException {
        assertThat(ClientListenAddress.of(URI.create("http://0.0.0.0:0")).getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void localhostBindsItsIpv4LoopbackAddressAsGoDoes() throws IOException {
        assertThat(ClientListenAddress.of(URI.create("http://localhost:0")).getAddress())
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void hostNameOtherThanLocalhostIsRefusedWithEtcdsMessage() {
        assertThatThrownBy(() -> ClientListenAddress.of(URI.create("http://example.com:2379")))
                .isInstanceOf(IOException.class)
                .hasMessage("expected IP in URL for binding (http://example.com:2379)");
    }

    @Test
    void schemesOtherThanHttpAreRefused() {
        assertThatThrownBy(() -> ClientListenAddress.of(URI.create("https://127.0.0.1:2379")))
                .isInstanceOf(IOException.class).hasMessageContaining("only http is served");
        assertThatThrownBy(() -> ClientListenAddress.of(URI.create("unix://localhost:2379")))
                .isInstanceOf(IOException.class).hasMessageContaining("only http is served");
    }

    @Test
    void missingPortIsRefused() {
        assertThatThrownBy(() -> ClientListenAddress.of(URI.create("http://127.0.0.1")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing port");
    }
}
