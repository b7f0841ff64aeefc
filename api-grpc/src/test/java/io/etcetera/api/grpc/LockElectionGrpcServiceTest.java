package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.LeaseGrpc;
import io.etcetera.api.grpc.pb.v3election.ElectionGrpc;
import io.etcetera.api.grpc.pb.v3lock.LockGrpc;
import io.etcetera.kernel.EtceteraServer;
import io.etcetera.kernel.ServerConfig;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.v3electionpb.CampaignRequest;
import io.etcetera.spi.v3electionpb.CampaignResponse;
import io.etcetera.spi.v3electionpb.LeaderKey;
import io.etcetera.spi.v3electionpb.LeaderRequest;
import io.etcetera.spi.v3electionpb.LeaderResponse;
import io.etcetera.spi.v3electionpb.ProclaimRequest;
import io.etcetera.spi.v3electionpb.ResignRequest;
import io.etcetera.spi.v3lockpb.LockRequest;
import io.etcetera.spi.v3lockpb.LockResponse;
import io.etcetera.spi.v3lockpb.UnlockRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lock and Election services over a real gRPC client, with the real kernel (RocksDB) behind them. */
class LockElectionGrpcServiceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private EtceteraServer server;
    private ManagedChannel channel;
    private KVGrpc.KVBlockingStub kv;
    private LeaseGrpc.LeaseBlockingStub leases;
    private LockGrpc.LockBlockingStub lock;
    private ElectionGrpc.ElectionBlockingStub election;

    @BeforeEach
    void start() throws IOException {
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig config = new ServerConfig("default", dataDir, List.of(URI.create("http://127.0.0.1:0")),
                defaults.advertiseClientUrls(), defaults.initialAdvertisePeerUrls(), defaults.initialClusterToken(),
                defaults.maxTxnOps(), defaults.maxRequestBytes(), "rocksdb", List.of("grpc"));
        server = EtceteraServer.start(config);
        channel = NettyChannelBuilder.forAddress(server.clientAddresses().get(0)).usePlaintext().build();
        kv = KVGrpc.newBlockingStub(channel);
        leases = LeaseGrpc.newBlockingStub(channel);
        lock = LockGrpc.newBlockingStub(channel);
        election = ElectionGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    @Test
    void aSecondContenderGetsTheLockOnlyAfterTheFirstUnlocks() throws Exception {
        long first = grant(60);
        long second = grant(60);
        LockResponse held = lock.lock(lockRequest("mylock", first));
        assertThat(held.getKey().toStringUtf8()).isEqualTo("mylock/" + Long.toHexString(first));

        ListenableFuture<LockResponse> waiting = LockGrpc.newFutureStub(channel).lock(lockRequest("mylock", second));
        await("the second contender's key", () -> keysUnder("mylock/").size() == 2);
        assertThat(waiting.isDone()).isFalse();

        long unlocked = lock.unlock(UnlockRequest.newBuilder().setKey(held.getKey()).build()).getHeader().getRevision();
        LockResponse next = waiting.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next.getKey().toStringUtf8()).isEqualTo("mylock/" + Long.toHexString(second));
        assertThat(next.getHeader().getRevision()).isGreaterThanOrEqualTo(unlocked);
        assertThat(keysUnder("mylock/")).extracting(k -> k.getKey().toStringUtf8()).containsExactly(next.getKey().toStringUtf8());
    }

    @Test
    void aHolderWhoseLeaseExpiresReleasesTheWaiter() throws Exception {
        long shortLived = grant(2);
        long waiter = grant(60);
        lock.lock(lockRequest("expiring", shortLived));
        LockResponse next = LockGrpc.newFutureStub(channel).lock(lockRequest("expiring", waiter))
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next.getKey().toStringUtf8()).isEqualTo("expiring/" + Long.toHexString(waiter));
        assertThat(keysUnder("expiring/")).hasSize(1);
    }

    @Test
    void aWaiterThatGivesUpDeletesItsKey() {
        lock.lock(lockRequest("given-up", grant(60)));
        Throwable timedOut = catchThrowable(() -> lock.withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .lock(lockRequest("given-up", grant(60))));
        assertThat(Status.fromThrowable(timedOut).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await("the waiter's key is deleted", () -> keysUnder("given-up/").size() == 1);
    }

    @Test
    void lockingWithAnUnknownLeaseFailsAsEtcd() {
        Throwable failure = catchThrowable(() -> lock.lock(lockRequest("nolease", 12345)));
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(Status.fromThrowable(failure).getDescription()).isEqualTo("etcdserver: requested lease not found");
    }

    @Test
    void campaignProclaimLeaderObserveAndResign() throws Exception {
        Throwable none = catchThrowable(() -> election.leader(leaderRequest("myelection")));
        assertThat(Status.fromThrowable(none).getCode()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(Status.fromThrowable(none).getDescription()).isEqualTo("election: no leader");

        List<String> observed = new ArrayList<>();
        ElectionGrpc.newStub(channel).observe(leaderRequest("myelection"), new StreamObserver<>() {
            @Override
            public void onNext(LeaderResponse response) {
                synchronized (observed) {
                    observed.add(response.getKv().getValue().toStringUtf8());
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });

        long firstLease = grant(60);
        CampaignResponse first = election.campaign(campaign("myelection", firstLease, "candidate1"));
        LeaderKey leader = first.getLeader();
        assertThat(leader.getKey().toStringUtf8()).isEqualTo("myelection/" + Long.toHexString(firstLease));
        assertThat(leader.getRev()).isEqualTo(first.getHeader().getRevision());
        assertThat(leader.getLease()).isEqualTo(firstLease);

        ListenableFuture<CampaignResponse> second = ElectionGrpc.newFutureStub(channel)
                .campaign(campaign("myelection", grant(60), "candidate2"));
        await("the second candidate's key", () -> keysUnder("myelection/").size() == 2);
        assertThat(second.isDone()).isFalse();

        election.proclaim(ProclaimRequest.newBuilder().setLeader(leader).setValue(ByteString.copyFromUtf8("candidate1b")).build());
        assertThat(election.leader(leaderRequest("myelection")).getKv().getValue().toStringUtf8()).isEqualTo("candidate1b");

        election.resign(ResignRequest.newBuilder().setLeader(leader).build());
        CampaignResponse won = second.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(election.leader(leaderRequest("myelection")).getKv().getKey()).isEqualTo(won.getLeader().getKey());

        Throwable stale = catchThrowable(() -> election.proclaim(ProclaimRequest.newBuilder().setLeader(leader)
                .setValue(ByteString.copyFromUtf8("again")).build()));
        assertThat(Status.fromThrowable(stale).getCode()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(Status.fromThrowable(stale).getDescription()).isEqualTo("election: not leader");

        await("the observer saw every leader value", () -> {
            synchronized (observed) {
                return observed.equals(List.of("candidate1", "candidate1b", "candidate2"));
            }
        });
    }

    @Test
    void proclaimWithoutALeaderKeyIsRefusedAsEtcd() {
        Throwable missing = catchThrowable(() -> election.proclaim(ProclaimRequest.getDefaultInstance()));
        assertThat(Status.fromThrowable(missing).getCode()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(Status.fromThrowable(missing).getDescription()).isEqualTo("\"leader\" field must be provided");
    }

    private long grant(long ttlSeconds) {
        return leases.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build()).getID();
    }

    private List<KeyValue> keysUnder(String prefix) {
        byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
                .setRangeEnd(ByteString.copyFrom(end)).build()).getKvsList();
    }

    private static LockRequest lockRequest(String name, long lease) {
        return LockRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).setLease(lease).build();
    }

    private static LeaderRequest leaderRequest(String name) {
        return LeaderRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).build();
    }

    private static CampaignRequest campaign(String name, long lease, String value) {
        return CampaignRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).setLease(lease)
                .setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + DEADLINE);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
