package io.etcetera.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.lease.FakeClock;
import io.etcetera.kernel.plugin.PluginRegistry;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseLeasesRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.LeaseStatus;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases end to end in process: the lease facade, the log, the apply thread, the lessor timer, RocksDB. */
class EtceteraServerLeaseTest {

    private static final long DEFAULT_MEMBER_ID = 0x8e9e05c52164694dL;

    @TempDir
    Path dataDir;

    private final FakeClock clock = new FakeClock();
    private final List<EtceteraServer> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(EtceteraServer::close);
    }

    private EtceteraServer start() throws IOException {
        ServerConfig config = new ServerConfig("default", dataDir, List.of(URI.create("http://127.0.0.1:0")),
                List.of(URI.create("http://localhost:2379")), List.of(URI.create("http://localhost:2380")),
                "etcd-cluster", ServerConfig.DEFAULT_MAX_TXN_OPS, ServerConfig.DEFAULT_MAX_REQUEST_BYTES, "rocksdb",
                List.of());
        EtceteraServer server = EtceteraServer.start(config, PluginRegistry.load(), Wal.Options.defaults(), clock);
        started.add(server);
        return server;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(Eventually.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static LeaseGrantResponse grant(LeaseService lease, long id, long ttl) throws Exception {
        return get(lease.grant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build()));
    }

    private static LeaseTimeToLiveResponse timeToLive(LeaseService lease, long id) throws Exception {
        return get(lease.timeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build()));
    }

    private static LeaseKeepAliveResponse keepAlive(LeaseService lease, long id) throws Exception {
        return get(lease.keepAlive(LeaseKeepAliveRequest.newBuilder().setID(id).build()));
    }

    private static void put(KvService kv, String key, long lease) throws Exception {
        get(kv.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).setLease(lease).build()));
    }

    private static long count(KvService kv, String key) throws Exception {
        return get(kv.range(RangeRequest.newBuilder().setKey(bytes(key)).build())).getCount();
    }

    private static void assertStamped(ResponseHeader header, long revision) {
        assertThat(header.getMemberId()).isEqualTo(DEFAULT_MEMBER_ID);
        assertThat(header.getClusterId()).isNotZero();
        assertThat(header.getRaftTerm()).isEqualTo(2);
        assertThat(header.getRevision()).isEqualTo(revision);
    }

    @Test
    void grantPutTimeToLiveKeepAliveListAndRevokeLikeEtcd() throws Exception {
        EtceteraServer server = start();
        LeaseService lease = server.services().lease();
        KvService kv = server.services().kv();

        LeaseGrantResponse granted = grant(lease, 0, 30);
        long id = granted.getID();
        assertThat(id).as("a server-chosen id is positive").isPositive();
        assertThat(id >>> 48).as("and starts with the member id's low 16 bits, as etcd's").isEqualTo(DEFAULT_MEMBER_ID & 0xFFFF);
        assertThat(granted.getTTL()).isEqualTo(30);
        assertStamped(granted.getHeader(), 1);

        put(kv, "foo", id);
        put(kv, "bar", id);
        clock.advance(Duration.ofMillis(2_500));

        LeaseTimeToLiveResponse ttl = timeToLive(lease, id);
        assertThat(ttl.getID()).isEqualTo(id);
        assertThat(ttl.getGrantedTTL()).isEqualTo(30);
        assertThat(ttl.getTTL()).isEqualTo(27);
        assertThat(ttl.getKeysList()).containsExactly(bytes("bar"), bytes("foo"));
        assertStamped(ttl.getHeader(), 3);

        LeaseKeepAliveResponse renewed = keepAlive(lease, id);
        assertThat(renewed.getID()).isEqualTo(id);
        assertThat(renewed.getTTL()).isEqualTo(30);
        assertStamped(renewed.getHeader(), 3);
        assertThat(timeToLive(lease, id).getTTL()).isEqualTo(30);

        grant(lease, 77, 5);
        assertThat(get(lease.leases(LeaseLeasesRequest.getDefaultInstance())).getLeasesList())
                .extracting(LeaseStatus::getID).containsExactly(77L, id);

        LeaseRevokeResponse revoked = get(lease.revoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
        assertStamped(revoked.getHeader(), 4);
        assertThat(count(kv, "foo")).isZero();
        assertThat(count(kv, "bar")).isZero();
    }

    @Test
    void unknownLeasesAnswerAsEtcdsGrpcLayerDoes() throws Exception {
        LeaseService lease = start().services().lease();

        assertThat(keepAlive(lease, 12345).getTTL()).as("keep-alive of an unknown lease").isZero();
        LeaseTimeToLiveResponse ttl = timeToLive(lease, 12345);
        assertThat(ttl.getTTL()).isEqualTo(-1);
        assertThat(ttl.getGrantedTTL()).isZero();
        assertThat(ttl.getID()).isEqualTo(12345);
        assertEtcdError(lease.revoke(LeaseRevokeRequest.newBuilder().setID(12345).build()), EtcdError.LEASE_NOT_FOUND);
        grant(lease, 12345, 60);
        assertEtcdError(lease.grant(LeaseGrantRequest.newBuilder().setID(12345).setTTL(60).build()), EtcdError.LEASE_EXIST);
        assertEtcdError(lease.grant(LeaseGrantRequest.newBuilder().setTTL(9_000_000_001L).build()),
                EtcdError.LEASETTL_TOO_LARGE);
        assertThat(grant(lease, 0, 1).getTTL()).as("the minimum TTL").isEqualTo(2);
    }

    @Test
    void theLeaderRevokesAnExpiredLeaseThroughTheLogDeletingItsKeys() throws Exception {
        EtceteraServer server = start();
        LeaseService lease = server.services().lease();
        KvService kv = server.services().kv();
        long id = grant(lease, 0, 5).getID();
        put(kv, "ephemeral", id);

        clock.advance(Duration.ofSeconds(4));
        assertThat(count(kv, "ephemeral")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));

        Eventually.await("the expired lease's key is deleted", () -> {
            try {
                return count(kv, "ephemeral") == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(timeToLive(lease, id).getTTL()).isEqualTo(-1);
        assertThat(keepAlive(lease, id).getTTL()).isZero();
    }

    @Test
    void leasesAndAttachedKeysSurviveARestartAndRestartFromTheirTtlPlusTheElectionTimeout() throws Exception {
        EtceteraServer first = start();
        long id = grant(first.services().lease(), 0, 60).getID();
        put(first.services().kv(), "k", id);
        clock.advance(Duration.ofSeconds(40));
        first.close();
        started.remove(first);

        EtceteraServer second = start();
        LeaseTimeToLiveResponse ttl = timeToLive(second.services().lease(), id);
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).as("etcd's extend on promote: TTL + election timeout").isEqualTo(61);
        assertThat(ttl.getKeysList()).containsExactly(bytes("k"));
        assertThat(get(second.services().lease().revoke(LeaseRevokeRequest.newBuilder().setID(id).build()))
                .getHeader().getRevision()).isEqualTo(3);
        assertThat(count(second.services().kv(), "k")).isZero();
    }

    private static void assertEtcdError(CompletableFuture<?> future, EtcdError error) {
        assertThatThrownBy(() -> get(future))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(EtcdException.class)
                .hasMessage(error.message());
    }
}
