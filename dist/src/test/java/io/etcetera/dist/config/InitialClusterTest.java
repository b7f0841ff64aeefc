package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialClusterTest {

    private static final URI PEER = URI.create("http://127.0.0.1:2380");

    @Test
    void parsesOnePairPerUrlAndGroupsByName() {
        InitialCluster cluster = InitialCluster.parse("infra0=http://10.0.0.1:2380,infra1=http://10.0.0.2:2380,infra0=http://10.0.0.1:2381");
        assertThat(cluster.peerUrlsByName()).containsOnlyKeys("infra0", "infra1");
        assertThat(cluster.peerUrlsByName().get("infra0"))
                .containsExactly(URI.create("http://10.0.0.1:2380"), URI.create("http://10.0.0.1:2381"));
        assertThat(cluster).hasToString("infra0=http://10.0.0.1:2380,infra0=http://10.0.0.1:2381,infra1=http://10.0.0.2:2380");
    }

    @Test
    void rejectsMalformedUrls() {
        assertThatThrownBy(() -> InitialCluster.parse("a=localhost:2380")).hasMessageContaining("URL scheme must be");
        assertThatThrownBy(() -> InitialCluster.parse("a")).hasMessage("empty URL");
    }

    @Test
    void localMemberMustBeListed() {
        assertThatThrownBy(() -> InitialCluster.parse("other=http://127.0.0.1:2380").requireLocalMember("me", List.of(PEER)))
                .hasMessage("couldn't find local name \"me\" in the initial cluster configuration");
    }

    @Test
    void localMemberUrlsMustMatchAdvertisedPeerUrls() {
        InitialCluster cluster = InitialCluster.parse("me=http://127.0.0.1:2390");
        assertThatThrownBy(() -> cluster.requireLocalMember("me", List.of(PEER)))
                .hasMessage("--initial-cluster has me=http://127.0.0.1:2390 but missing from --initial-advertise-peer-urls=http://127.0.0.1:2380");
        InitialCluster subset = InitialCluster.parse("me=http://127.0.0.1:2380");
        assertThatThrownBy(() -> subset.requireLocalMember("me", List.of(PEER, URI.create("http://127.0.0.1:2390"))))
                .hasMessage("--initial-advertise-peer-urls has http://127.0.0.1:2390 but missing from --initial-cluster=me=http://127.0.0.1:2380");
        InitialCluster.parse("me=http://127.0.0.1:2380").requireLocalMember("me", List.of(PEER));
    }
}
