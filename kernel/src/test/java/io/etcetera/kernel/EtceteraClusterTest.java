package io.etcetera.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.server.MemberIdentity;
import io.etcetera.spi.etcdserverpb.Member;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members in one JVM on loopback ports, talking over the Netty peer transport: writes on
 * one member are read linearizably on the others, and the cluster survives losing its leader.
 */
class EtceteraClusterTest {

    private static final long DEADLINE_MS = 20_000;

    @TempDir
    Path root;

    private final List<EtceteraServer> servers = new ArrayList<>();
    private final List<ServerConfig> configs = new ArrayList<>();

    @AfterEach
    void closeAll() {
        servers.forEach(EtceteraServer::close);
    }

    @Test
    void aWriteOnOneMemberIsReadLinearizablyOnTheOthers() throws Exception {
        startCluster(3);

        put(servers.get(0), "greeting", "hello");

        for (EtceteraServer server : servers) {
            assertThat(get(server, "greeting")).isEqualTo("hello");
        }
        long leader = servers.get(0).leaderId();
        assertThat(servers).allSatisfy(s -> assertThat(s.leaderId()).isEqualTo(leader));
    }

    @Test
    void membersGetEtcdsIdsForTheInitialCluster() throws Exception {
        startCluster(3);

        MemberListResponse members = servers.get(2).services().cluster().memberList(MemberListRequest.getDefaultInstance())
                .get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        assertThat(members.getMembersList()).extracting(Member::getName).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(members.getMembersList()).extracting(Member::getID)
                .containsExactlyInAnyOrderElementsOf(servers.stream().map(EtceteraServer::memberId).toList());
        assertThat(members.getHeader().getMemberId()).isEqualTo(servers.get(2).memberId());
        StatusResponse status = servers.get(1).services().maintenance().status(StatusRequest.getDefaultInstance())
                .get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        assertThat(status.getLeader()).isEqualTo(servers.get(1).leaderId()).isNotZero();
        assertThat(status.getRaftTerm()).isEqualTo(status.getHeader().getRaftTerm()).isPositive();
        assertThat(status.getRaftAppliedIndex()).isPositive();
        assertThat(status.getVersion()).isEqualTo("3.4.23");

        for (int i = 0; i < 3; i++) {
            URI peer = URI.create("http://127.0.0.1:" + servers.get(i).peerAddresses().get(0).getPort());
            assertThat(servers.get(i).memberId()).isEqualTo(MemberIdentity.computeMemberId(List.of(peer), "cluster-test"));
        }
    }

    @Test
    void aNewLeaderTakesOverAndKeepsAcknowledgedWrites() throws Exception {
        startCluster(3);
        for (int i = 0; i < 10; i++) {
            put(servers.get(i % 3), "before-" + i, "v" + i);
        }
        EtceteraServer oldLeader = servers.stream().filter(s -> s.leaderId() == s.memberId()).findFirst().orElseThrow();

        oldLeader.close();
        servers.remove(oldLeader);

        Eventually.await("the survivors agree on a new leader", () -> servers.stream()
                .allMatch(s -> s.leaderId() != 0 && s.leaderId() != oldLeader.memberId()
                        && s.leaderId() == servers.get(0).leaderId()));
        putEventually(servers.get(1), "after", "new leader");
        for (EtceteraServer survivor : servers) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(survivor, "before-" + i)).isEqualTo("v" + i);
            }
            assertThat(get(survivor, "after")).isEqualTo("new leader");
        }
    }

    @Test
    void aRestartedFollowerRejoinsFromItsWalAndCatchesUp() throws Exception {
        startCluster(3);
        put(servers.get(0), "k1", "before");
        int followerIndex = servers.get(0).leaderId() == servers.get(2).memberId() ? 1 : 2;
        EtceteraServer follower = servers.get(followerIndex);
        follower.close();

        put(servers.get(0), "k2", "while away");
        // the same flags: the initial-* ones are ignored now, membership comes from the backend
        EtceteraServer restarted = EtceteraServer.start(configs.get(followerIndex));
        servers.set(followerIndex, restarted);

        assertThat(restarted.memberId()).isEqualTo(follower.memberId());
        assertThat(get(restarted, "k1")).isEqualTo("before");
        assertThat(get(restarted, "k2")).isEqualTo("while away");
        put(restarted, "k3", "from the restarted member");
        assertThat(get(servers.get(0), "k3")).isEqualTo("from the restarted member");
    }

    @Test
    void aFollowerBehindTheWholeClusterRestartCatchesUpFromTheRestartedLeadersLog() throws Exception {
        startCluster(3);
        put(servers.get(0), "k1", "before");
        int followerIndex = servers.get(0).leaderId() == servers.get(2).memberId() ? 1 : 2;
        servers.get(followerIndex).close();
        put(servers.get(0), "k2", "while away");
        servers.forEach(EtceteraServer::close);
        servers.clear();

        // Every member restarts from its WAL; the two that applied k2 must still hold its entry
        // in their Raft log, or the follower that missed it waits forever for a snapshot.
        startAll();

        for (EtceteraServer server : servers) {
            assertThat(get(server, "k2")).isEqualTo("while away");
        }
    }

    /** Starts {@code size} members concurrently: each waits in start() until a quorum is up. */
    private void startCluster(int size) throws Exception {
        Map<String, List<URI>> initialCluster = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            initialCluster.put("n" + i, List.of(URI.create("http://127.0.0.1:" + freePort())));
        }
        initialCluster.forEach((name, peerUrls) -> configs.add(new ServerConfig(name, root.resolve(name),
                List.of(URI.create("http://127.0.0.1:0")), List.of(URI.create("http://127.0.0.1:0")),
                peerUrls, "cluster-test", ServerConfig.DEFAULT_MAX_TXN_OPS,
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES, "rocksdb", List.of(), initialCluster, peerUrls,
                ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, ServerConfig.DEFAULT_ELECTION_TIMEOUT_MS)));
        startAll();
    }

    /** Starts a member of every config at once (a new cluster, or all of one restarted). */
    private void startAll() throws Exception {
        ClusterStart.startTogether(configs, servers, DEADLINE_MS);
    }

    private static void put(EtceteraServer server, String key, String value) throws Exception {
        PutResponse response = server.services().kv().put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build())
                .get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        assertThat(response.getHeader().getMemberId()).isEqualTo(server.memberId());
    }

    /** A put retried while the cluster elects a leader (it fails with "no leader" or times out meanwhile). */
    private static void putEventually(EtceteraServer server, String key, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (true) {
            try {
                put(server, key, value);
                return;
            } catch (Exception e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }

    private static String get(EtceteraServer server, String key) throws Exception {
        RangeResponse response = server.services().kv().range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).build()).get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        return response.getKvsCount() == 0 ? null : response.getKvs(0).getValue().toStringUtf8();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
