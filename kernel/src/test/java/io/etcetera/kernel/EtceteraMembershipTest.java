package io.etcetera.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.Member;
import io.etcetera.spi.etcdserverpb.MemberAddRequest;
import io.etcetera.spi.etcdserverpb.MemberAddResponse;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberPromoteRequest;
import io.etcetera.spi.etcdserverpb.MemberRemoveRequest;
import io.etcetera.spi.etcdserverpb.MemberUpdateRequest;
import io.etcetera.spi.etcdserverpb.MoveLeaderRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time membership on three in-process members over the Netty peer transport: a learner is
 * added, joins with {@code --initial-cluster-state existing}, is promoted and removed (and stops);
 * peer URLs are updated; leadership is moved; every etcd error of the checks; and
 * {@code --force-new-cluster}.
 */
class EtceteraMembershipTest {

    private static final long DEADLINE_MS = 20_000;

    @TempDir
    Path root;

    private final List<EtceteraServer> servers = new ArrayList<>();
    private final List<ServerConfig> configs = new ArrayList<>();
    private final Map<String, List<URI>> initialCluster = new LinkedHashMap<>();

    @AfterEach
    void closeAll() {
        servers.forEach(EtceteraServer::close);
    }

    @Test
    void everyMemberPublishesItsNameAndClientUrls() throws Exception {
        startCluster(3);

        Eventually.await("every member published its client URLs", quietly(() -> members(servers.get(0)).stream()
                .allMatch(m -> !m.getName().isEmpty() && m.getClientURLsCount() == 1)));
        assertThat(members(servers.get(2))).extracting(Member::getName).containsExactlyInAnyOrder("n1", "n2", "n3");
    }

    @Test
    void aLearnerJoinsIsPromotedAndIsRemoved() throws Exception {
        startCluster(3);
        awaitPublished();
        put(servers.get(0), "before-join", "v1");
        URI peerUrl = URI.create("http://127.0.0.1:" + freePort());

        MemberAddResponse added = call(() -> servers.get(1).services().cluster().memberAdd(MemberAddRequest.newBuilder()
                .addPeerURLs(peerUrl.toString()).setIsLearner(true).build()));
        assertThat(added.getMember().getIsLearner()).isTrue();
        assertThat(added.getMember().getName()).isEmpty();
        assertThat(added.getMember().getPeerURLsList()).containsExactly(peerUrl.toString());
        assertThat(added.getMembersList()).hasSize(4);
        long learnerId = added.getMember().getID();

        EtceteraServer joined = startJoining("n4", peerUrl);
        assertThat(joined.memberId()).isEqualTo(learnerId);
        Eventually.await("the learner replicated the data", () -> "v1".equals(serializableGet(joined, "before-join")));
        assertThat(call(() -> joined.services().maintenance().status(StatusRequest.getDefaultInstance())).getIsLearner())
                .isTrue();

        EtceteraServer leader = leader();
        Eventually.await("the learner is promoted once in sync", quietly(() -> {
            try {
                call(() -> servers.get(0).services().cluster().memberPromote(
                        MemberPromoteRequest.newBuilder().setID(learnerId).build()));
                return true;
            } catch (ExecutionException e) {
                return isError(e, EtcdError.LEARNER_NOT_READY) ? false : rethrow(e);
            }
        }));
        Eventually.await("four started voters with client URLs", quietly(() -> members(leader).stream()
                .allMatch(m -> !m.getIsLearner() && !m.getName().isEmpty() && m.getClientURLsCount() == 1)
                && members(leader).size() == 4));
        put(joined, "from-n4", "v2");
        assertThat(get(servers.get(2), "from-n4")).isEqualTo("v2");

        call(() -> leader.services().cluster().memberRemove(MemberRemoveRequest.newBuilder().setID(learnerId).build()));
        assertThat(members(leader)).extracting(Member::getID).doesNotContain(learnerId).hasSize(3);
        Eventually.await("the removed member stops", () -> joined.failure() != null);
        assertThat(joined.failure()).hasMessageContaining("permanently removed");
    }

    @Test
    void etcdsErrorsForMembershipChanges() throws Exception {
        startCluster(3);
        awaitPublished();
        EtceteraServer any = servers.get(0);
        long voter = servers.get(1).memberId();
        String takenUrl = initialCluster.get("n2").get(0).toString();

        // etcd checks the log first: a voter briefly behind the leader is "not in sync" (as in etcd)
        Eventually.await("a voter in sync cannot be promoted", quietly(() -> {
            try {
                call(() -> any.services().cluster().memberPromote(MemberPromoteRequest.newBuilder().setID(voter).build()));
                throw new AssertionError("a voter was promoted");
            } catch (ExecutionException e) {
                return isError(e, EtcdError.MEMBER_NOT_LEARNER);
            }
        }));
        assertThat(EtcdError.MEMBER_NOT_LEARNER.message()).isEqualTo("etcdserver: can only promote a learner member");
        expectError(() -> any.services().cluster().memberRemove(MemberRemoveRequest.newBuilder().setID(0x1234).build()),
                EtcdError.MEMBER_NOT_FOUND, "etcdserver: member not found");
        expectError(() -> any.services().cluster().memberUpdate(MemberUpdateRequest.newBuilder().setID(0x1234)
                .addPeerURLs("http://127.0.0.1:1").build()), EtcdError.MEMBER_NOT_FOUND, "etcdserver: member not found");
        expectError(() -> any.services().cluster().memberAdd(MemberAddRequest.newBuilder().addPeerURLs(takenUrl).build()),
                EtcdError.PEERURL_EXIST, "etcdserver: Peer URLs already exists");
        expectError(() -> any.services().cluster().memberUpdate(MemberUpdateRequest.newBuilder().setID(voter)
                .addPeerURLs(initialCluster.get("n3").get(0).toString()).build()),
                EtcdError.PEERURL_EXIST, "etcdserver: Peer URLs already exists");
        expectError(() -> any.services().cluster().memberAdd(MemberAddRequest.newBuilder().addPeerURLs("not a url").build()),
                EtcdError.MEMBER_BADUR_LS, "etcdserver: given member URLs are invalid");

        String learnerUrl = "http://127.0.0.1:" + freePort();
        String secondLearnerUrl = "http://127.0.0.1:" + freePort();
        call(() -> any.services().cluster().memberAdd(MemberAddRequest.newBuilder()
                .addPeerURLs(learnerUrl).setIsLearner(true).build()));
        expectError(() -> any.services().cluster().memberAdd(MemberAddRequest.newBuilder()
                        .addPeerURLs(secondLearnerUrl).setIsLearner(true).build()),
                EtcdError.TOO_MANY_LEARNERS, "etcdserver: too many learner members in cluster");
    }

    @Test
    void strictReconfigCheckRefusesAVoterWhileAPeerIsDown() throws Exception {
        startCluster(3);
        awaitPublished();
        EtceteraServer leader = leader();
        EtceteraServer follower = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();
        follower.close();
        servers.remove(follower);
        String voterUrl = "http://127.0.0.1:" + freePort();
        Eventually.await("the leader sees the follower down", quietly(() -> {
            try {
                call(() -> leader.services().cluster().memberAdd(MemberAddRequest.newBuilder()
                        .addPeerURLs(voterUrl).build()));
                throw new AssertionError("a voter was added while a peer is down");
            } catch (ExecutionException e) {
                return isError(e, EtcdError.UNHEALTHY);
            }
        }));
        // removing the member that is down is safe
        call(() -> leader.services().cluster().memberRemove(
                MemberRemoveRequest.newBuilder().setID(follower.memberId()).build()));
        assertThat(members(leader)).hasSize(2);
    }

    @Test
    void moveLeaderHandsLeadershipToAFollower() throws Exception {
        startCluster(3);
        EtceteraServer leader = leader();
        EtceteraServer follower = servers.stream().filter(s -> s != leader).findFirst().orElseThrow();

        expectError(() -> follower.services().maintenance().moveLeader(
                MoveLeaderRequest.newBuilder().setTargetID(leader.memberId()).build()),
                EtcdError.NOT_LEADER, "etcdserver: not leader");
        expectError(() -> leader.services().maintenance().moveLeader(
                MoveLeaderRequest.newBuilder().setTargetID(0x1234).build()),
                EtcdError.BAD_LEADER_TRANSFEREE, "etcdserver: bad leader transferee");

        call(() -> leader.services().maintenance().moveLeader(
                MoveLeaderRequest.newBuilder().setTargetID(follower.memberId()).build()));
        assertThat(leader.leaderId()).isEqualTo(follower.memberId());
        Eventually.await("every member follows the new leader",
                () -> servers.stream().allMatch(s -> s.leaderId() == follower.memberId()));
    }

    @Test
    void forceNewClusterRestartsAsTheOnlyVoterKeepingTheData() throws Exception {
        startCluster(3);
        put(servers.get(0), "kept", "yes");
        awaitPublished();
        long n1 = servers.get(0).memberId();
        servers.forEach(EtceteraServer::close);
        servers.clear();

        ServerConfig forced = configs.get(0).withBootstrap(
                new ServerConfig.Bootstrap(ServerConfig.ClusterState.NEW, true, true));
        EtceteraServer alone = EtceteraServer.start(forced);
        servers.add(alone);

        assertThat(alone.memberId()).isEqualTo(n1);
        assertThat(get(alone, "kept")).isEqualTo("yes");
        put(alone, "after", "alone");
        assertThat(members(alone)).extracting(Member::getID).containsExactly(n1);
    }

    // ------------------------------------------------------------------ helpers

    private void startCluster(int size) throws Exception {
        for (int i = 1; i <= size; i++) {
            initialCluster.put("n" + i, List.of(URI.create("http://127.0.0.1:" + freePort())));
        }
        initialCluster.forEach((name, peerUrls) -> configs.add(config(name, peerUrls, initialCluster)));
        ClusterStart.startTogether(configs, servers, DEADLINE_MS);
    }

    private EtceteraServer startJoining(String name, URI peerUrl) throws IOException {
        Map<String, List<URI>> cluster = new LinkedHashMap<>(initialCluster);
        cluster.put(name, List.of(peerUrl));
        ServerConfig config = config(name, List.of(peerUrl), cluster)
                .withBootstrap(new ServerConfig.Bootstrap(ServerConfig.ClusterState.EXISTING, false, true));
        EtceteraServer server = EtceteraServer.start(config);
        servers.add(server);
        return server;
    }

    private ServerConfig config(String name, List<URI> peerUrls, Map<String, List<URI>> cluster) {
        return new ServerConfig(name, root.resolve(name),
                List.of(URI.create("http://127.0.0.1:0")), List.of(URI.create("http://127.0.0.1:0")),
                peerUrls, "membership-test", ServerConfig.DEFAULT_MAX_TXN_OPS,
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES, "rocksdb", List.of(), cluster, peerUrls,
                ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, ServerConfig.DEFAULT_ELECTION_TIMEOUT_MS);
    }

    private void awaitPublished() {
        for (EtceteraServer server : servers) {
            Eventually.await("every member published its attributes",
                    quietly(() -> members(server).stream().allMatch(m -> !m.getName().isEmpty())));
        }
    }

    /** A condition that may throw: an exception counts as "not yet". */
    @FunctionalInterface
    private interface Check {
        boolean test() throws Exception;
    }

    private static java.util.function.BooleanSupplier quietly(Check check) {
        return () -> {
            try {
                return check.test();
            } catch (Exception e) {
                return false;
            }
        };
    }

    private static boolean rethrow(ExecutionException e) {
        throw new AssertionError("unexpected failure", e);
    }

    private EtceteraServer leader() {
        Eventually.await("a leader", () -> servers.stream().anyMatch(s -> s.leaderId() == s.memberId()));
        return servers.stream().filter(s -> s.leaderId() == s.memberId()).findFirst().orElseThrow();
    }

    private static List<Member> members(EtceteraServer server) throws Exception {
        return call(() -> server.services().cluster().memberList(MemberListRequest.getDefaultInstance())).getMembersList();
    }

    private static void expectError(Supplier<CompletableFuture<?>> call, EtcdError error, String message) {
        assertThat(error.message()).isEqualTo(message);
        assertThatThrownBy(() -> call.get().get(DEADLINE_MS, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EtcdException.class).hasMessage(message);
    }

    private static boolean isError(ExecutionException e, EtcdError error) {
        return e.getCause() instanceof EtcdException etcd && etcd.error() == error;
    }

    private static <T> T call(Supplier<CompletableFuture<T>> call) throws Exception {
        return call.get().get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private static void put(EtceteraServer server, String key, String value) throws Exception {
        call(() -> server.services().kv().put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build()));
    }

    private static String get(EtceteraServer server, String key) throws Exception {
        RangeResponse response = call(() -> server.services().kv().range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).build()));
        return response.getKvsCount() == 0 ? null : response.getKvs(0).getValue().toStringUtf8();
    }

    private static String serializableGet(EtceteraServer server, String key) {
        try {
            RangeResponse response = call(() -> server.services().kv().range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key)).setSerializable(true).build()));
            return response.getKvsCount() == 0 ? null : response.getKvs(0).getValue().toStringUtf8();
        } catch (Exception e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
