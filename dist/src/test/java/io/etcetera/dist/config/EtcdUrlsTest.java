package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdUrlsTest {

    @Test
    void listIsCommaSeparatedTrimmedAndDeduplicatedInOrder() {
        assertThat(EtcdUrls.parseList("http://10.0.0.2:2379, http://127.0.0.1:2379,http://10.0.0.2:2379"))
                .containsExactly(URI.create("http://10.0.0.2:2379"), URI.create("http://127.0.0.1:2379"));
    }

    @Test
    void acceptsEtcdSchemesAndIpv6() {
        assertThat(EtcdUrls.parse("https://example.com:2379")).hasScheme("https");
        assertThat(EtcdUrls.parse("unix://localhost:2379")).hasScheme("unix");
        assertThat(EtcdUrls.parse("unixs://localhost:2379")).hasScheme("unixs");
        assertThat(EtcdUrls.hostOf(EtcdUrls.parse("http://[::1]:2379"))).isEqualTo("::1");
    }

    @Test
    void rejectsOtherSchemesWithEtcdsMessage() {
        assertThatThrownBy(() -> EtcdUrls.parse("ftp://127.0.0.1:1"))
                .hasMessage("URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:1");
        assertThatThrownBy(() -> EtcdUrls.parse("localhost:2379"))
                .hasMessageContaining("URL scheme must be");
        assertThatThrownBy(() -> EtcdUrls.parse("127.0.0.1:2379"))
                .hasMessageContaining("not a URL");
    }

    @Test
    void requiresHostAndPortAndNoPath() {
        assertThatThrownBy(() -> EtcdUrls.parse("http://127.0.0.1"))
                .hasMessage("URL address does not have the form \"host:port\": http://127.0.0.1");
        assertThatThrownBy(() -> EtcdUrls.parse("http://127.0.0.1:99999"))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> EtcdUrls.parse("http://127.0.0.1:2379/"))
                .hasMessage("URL must not contain a path: http://127.0.0.1:2379/");
        assertThatThrownBy(() -> EtcdUrls.parseList("http://127.0.0.1:2379,"))
                .hasMessage("empty URL");
    }

    @Test
    void bindUrlsNeedAnIpOrLocalhost() {
        EtcdUrls.requireBindable(List.of(URI.create("http://127.0.0.1:2379"), URI.create("http://localhost:2379"),
                URI.create("http://[::1]:2379"), URI.create("http://0.0.0.0:2379")));
        assertThatThrownBy(() -> EtcdUrls.requireBindable(List.of(URI.create("http://example.com:2379"))))
                .hasMessage("expected IP in URL for binding (http://example.com:2379)");
    }
}
