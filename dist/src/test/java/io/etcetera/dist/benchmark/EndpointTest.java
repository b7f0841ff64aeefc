package io.etcetera.dist.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void acceptsTheFormsEtcdctlTakes() {
        assertThat(Endpoint.parse("127.0.0.1:2379")).isEqualTo(new Endpoint("127.0.0.1", 2379));
        assertThat(Endpoint.parse("http://localhost:2379")).isEqualTo(new Endpoint("localhost", 2379));
        assertThat(Endpoint.parse("[::1]:2379")).isEqualTo(new Endpoint("::1", 2379));
        assertThat(Endpoint.parse("[::1]:2379")).hasToString("[::1]:2379");
    }

    @Test
    void refusesTlsAndMissingPorts() {
        assertThatThrownBy(() -> Endpoint.parse("https://127.0.0.1:2379")).hasMessageContaining("only plain http");
        assertThatThrownBy(() -> Endpoint.parse("127.0.0.1")).hasMessageContaining("not an endpoint (host:port): 127.0.0.1");
        assertThatThrownBy(() -> Endpoint.parse("127.0.0.1:2379/v3")).hasMessageContaining("not an endpoint");
    }
}
