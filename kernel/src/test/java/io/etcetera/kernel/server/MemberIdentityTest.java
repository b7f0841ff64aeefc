package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.ServerConfig;
import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.storage.Bucket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberIdentityTest {

    @Test
    void idsMatchWhatEtcdComputesForItsDefaults() {
        // etcd 3.4 with default flags: member 8e9e05c52164694d in cluster cdf818194e3a8c32.
        long member = MemberIdentity.computeMemberId(List.of(URI.create("http://localhost:2380")), "etcd-cluster");
        assertThat(MemberIdentity.toHex(member)).isEqualTo("8e9e05c52164694d");
        assertThat(MemberIdentity.toHex(MemberIdentity.computeClusterId(List.of(member)))).isEqualTo("cdf818194e3a8c32");
    }

    @Test
    void idsMatchWhatEtcdComputesForOtherPeerUrls() {
        // etcd 3.4.23 run with --initial-advertise-peer-urls http://127.0.0.1:41372:
        // "starting member 34e27f77d3d42e21 in cluster 54f8f550e9f3e781".
        long member = MemberIdentity.computeMemberId(List.of(URI.create("http://127.0.0.1:41372")), "etcd-cluster");
        assertThat(MemberIdentity.toHex(member)).isEqualTo("34e27f77d3d42e21");
        assertThat(MemberIdentity.toHex(MemberIdentity.computeClusterId(List.of(member)))).isEqualTo("54f8f550e9f3e781");
    }

    @Test
    void peerUrlOrderDoesNotMatter() {
        URI a = URI.create("http://10.0.0.1:2380");
        URI b = URI.create("http://10.0.0.2:2380");
        assertThat(MemberIdentity.computeMemberId(List.of(a, b), "t"))
                .isEqualTo(MemberIdentity.computeMemberId(List.of(b, a), "t"));
    }

    @Test
    void theIdentityIsStoredOnFirstStartAndReusedAfterwards() {
        InMemoryBackend backend = new InMemoryBackend();
        ServerConfig first = config("http://localhost:2380", "etcd-cluster");

        MemberIdentity created = MemberIdentity.loadOrCreate(backend, first);
        MemberIdentity reloaded = MemberIdentity.loadOrCreate(backend, config("http://other:2380", "other-token"));

        assertThat(reloaded).isEqualTo(created);
        assertThat(MemberIdentity.toHex(created.memberId())).isEqualTo("8e9e05c52164694d");
        byte[] member = backend.get(Bucket.MEMBERS, "8e9e05c52164694d".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(member, StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":10276657743932975437,\"peerURLs\":[\"http://localhost:2380\"],\"name\":\"default\","
                        + "\"clientURLs\":[\"http://localhost:2379\"]}");
        assertThat(new String(backend.get(Bucket.CLUSTER, MemberIdentity.CLUSTER_ID_KEY), StandardCharsets.UTF_8))
                .isEqualTo("cdf818194e3a8c32");
    }

    @Test
    void everyMemberOfTheInitialClusterGetsEtcdsIdAndIsStored() {
        // etcd 3.4.23 --name n2 --initial-cluster-token tkn --initial-cluster
        // n1=http://127.0.0.1:42481,n2=http://127.0.0.1:42482,n3=http://127.0.0.1:42483:
        // "starting member 769329e991468a53 in cluster 91a03296d5d0e982", "added member
        // 58c0e48417eede4e [http://127.0.0.1:42481]", "added member 501a4d6e3a30a1f7 [http://127.0.0.1:42483]".
        Map<String, List<URI>> initialCluster = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            initialCluster.put("n" + i, List.of(URI.create("http://127.0.0.1:4248" + i)));
        }
        ServerConfig config = new ServerConfig("n2", Path.of("unused"), List.of(URI.create("http://127.0.0.1:42379")),
                List.of(URI.create("http://127.0.0.1:42379")), initialCluster.get("n2"), "tkn",
                ServerConfig.DEFAULT_MAX_TXN_OPS, ServerConfig.DEFAULT_MAX_REQUEST_BYTES, "rocksdb", List.of(),
                initialCluster, initialCluster.get("n2"), ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS,
                ServerConfig.DEFAULT_ELECTION_TIMEOUT_MS);
        InMemoryBackend backend = new InMemoryBackend();

        MemberIdentity identity = MemberIdentity.loadOrCreate(backend, config);

        assertThat(MemberIdentity.toHex(identity.memberId())).isEqualTo("769329e991468a53");
        assertThat(MemberIdentity.toHex(identity.clusterId())).isEqualTo("91a03296d5d0e982");
        assertThat(MemberIdentity.loadMembers(backend)).containsExactly(
                new ClusterMember(0x501a4d6e3a30a1f7L, "n3", initialCluster.get("n3"), List.of()),
                new ClusterMember(0x58c0e48417eede4eL, "n1", initialCluster.get("n1"), List.of()),
                new ClusterMember(0x769329e991468a53L, "n2", initialCluster.get("n2"),
                        List.of(URI.create("http://127.0.0.1:42379"))));
    }

    @Test
    void memberRecordsSurviveTheirJsonEncoding() {
        ClusterMember member = new ClusterMember(0xfedcba9876543210L, "a \"quoted\" name\\",
                List.of(URI.create("http://10.0.0.1:2380"), URI.create("http://10.0.0.2:2380")), List.of());

        assertThat(ClusterMember.fromJson(member.toJson())).isEqualTo(member);
    }

    private static ServerConfig config(String peerUrl, String token) {
        return new ServerConfig("default", Path.of("unused"), List.of(URI.create("http://localhost:2379")),
                List.of(URI.create("http://localhost:2379")), List.of(URI.create(peerUrl)), token,
                ServerConfig.DEFAULT_MAX_TXN_OPS, ServerConfig.DEFAULT_MAX_REQUEST_BYTES, "rocksdb", List.of());
    }
}
