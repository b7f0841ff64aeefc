package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jetcd Java client's Lease API against a fresh etcetera member per test: grant, time to
 * live with keys, keep-alive once and as a stream, revoke, and etcd's errors. Expected values are
 * etcd 3.4's (etcdserver/api/v3rpc/lease.go, lease/lessor.go); with
 * {@code -Detcetera.it.reference-only=true} the member is real etcd.
 */
class LeaseJetcdIT {

    private static final long CALL_TIMEOUT_SECONDS = 10;

    @RegisterExtension
    final Members members = new Members();

    private Client client;
    private Lease lease;
    private KV kv;

    @BeforeEach
    void startMember() {
        MemberProcess member = members.start(Executables.candidate());
        client = member.jetcdClient();
        lease = client.getLeaseClient();
        kv = client.getKVClient();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void grantTimeToLiveWithKeysAndRevokeDeletingTheKeys() {
        LeaseGrantResponse granted = call(lease.grant(30));
        long id = granted.getID();
        assertThat(id).isPositive();
        assertThat(granted.getTTL()).isEqualTo(30);
        call(kv.put(bytes("b"), bytes("2"), PutOption.builder().withLeaseId(id).build()));
        call(kv.put(bytes("a"), bytes("1"), PutOption.builder().withLeaseId(id).build()));

        LeaseTimeToLiveResponse ttl = call(lease.timeToLive(id, LeaseOption.newBuilder().withAttachedKeys().build()));
        assertThat(ttl.getID()).isEqualTo(id);
        assertThat(ttl.getGrantedTTL()).isEqualTo(30);
        assertThat(ttl.getTTL()).isBetween(25L, 30L);
        assertThat(ttl.getKeys()).extracting(key -> key.toString(StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("a", "b");
        assertThat(call(kv.get(bytes("a"))).getKvs().get(0).getLease()).isEqualTo(id);

        long before = call(kv.get(bytes("probe"))).getHeader().getRevision();
        assertThat(call(lease.revoke(id)).getHeader().getRevision()).as("one revision for both keys")
                .isEqualTo(before + 1);
        assertThat(call(kv.get(bytes("a"))).getCount()).isZero();
        assertThat(call(kv.get(bytes("b"))).getCount()).isZero();
        assertThat(call(lease.timeToLive(id, LeaseOption.DEFAULT)).getTTL()).isEqualTo(-1);
    }

    @Test
    void aShortTtlIsRaisedToTheMinimumOfTwoSeconds() {
        assertThat(call(lease.grant(1)).getTTL()).isEqualTo(2);
    }

    @Test
    void keepAliveOnceRenewsToTheFullTtl() {
        long id = call(lease.grant(10)).getID();

        LeaseKeepAliveResponse renewed = call(lease.keepAliveOnce(id));

        assertThat(renewed.getID()).isEqualTo(id);
        assertThat(renewed.getTTL()).isEqualTo(10);
    }

    @Test
    void aKeepAliveStreamKeepsALeaseAlivePastItsTtlAndItExpiresOnceClosed() {
        long ttlSeconds = 3;
        long id = call(lease.grant(ttlSeconds)).getID();
        call(kv.put(bytes("alive"), bytes("v"), PutOption.builder().withLeaseId(id).build()));
        List<LeaseKeepAliveResponse> responses = new CopyOnWriteArrayList<>();
        long startNanos = System.nanoTime();

        CloseableClient keepAlive = lease.keepAlive(id, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        try {
            Duration pastTtl = Duration.ofSeconds(ttlSeconds * 2);
            Await.until(pastTtl.plusSeconds(CALL_TIMEOUT_SECONDS), "keep-alives for twice the TTL",
                    () -> Duration.ofNanos(System.nanoTime() - startNanos).compareTo(pastTtl) > 0 && responses.size() >= 2);
            assertThat(call(kv.get(bytes("alive"))).getCount()).as("kept alive past its TTL").isEqualTo(1);
            assertThat(responses).allSatisfy(response -> {
                assertThat(response.getID()).isEqualTo(id);
                assertThat(response.getTTL()).isEqualTo(ttlSeconds);
            });
        } finally {
            keepAlive.close();
        }

        Await.until(Duration.ofSeconds(ttlSeconds + 2), "the lease expires once no longer kept alive",
                () -> call(kv.get(bytes("alive"))).getCount() == 0);
    }

    @Test
    void revokingAnUnknownLeaseFailsWithEtcdsError() {
        assertThatThrownBy(() -> lease.revoke(0x1234).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> {
                    Status status = Status.fromThrowable(e.getCause());
                    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(status.getDescription()).isEqualTo("etcdserver: requested lease not found");
                });
        assertThatThrownBy(() -> kv.put(bytes("k"), bytes("v"), PutOption.builder().withLeaseId(0x1234).build())
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e.getCause()).getDescription())
                        .isEqualTo("etcdserver: requested lease not found"));
    }

    @Test
    void keepAliveOnceOfAnUnknownLeaseFails() {
        assertThatThrownBy(() -> lease.keepAliveOnce(0x1234).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    private static <T> T call(CompletableFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("etcd call failed", e);
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
