package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.election.NoLeaderException;
import io.etcd.jetcd.election.NotLeaderException;
import io.etcd.jetcd.lock.LockResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jetcd Java client's Lock and Election APIs, which call etcd's {@code v3lockpb.Lock} and
 * {@code v3electionpb.Election} gRPC services, against a fresh etcetera member per test
 * (with {@code -Detcetera.it.reference-only=true}, real etcd): lock ordering, lease expiry
 * freeing a waiter, and an election's campaign, proclaim, leader, observe and resign, with
 * etcd's "election: no leader" / "election: not leader" errors.
 */
class LockElectionJetcdIT {
    private static final long CALL_TIMEOUT_SECONDS = 20;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final Members members = new Members();

    private Client client;
    private Lock lock;
    private Election election;
    private Lease lease;

    @BeforeEach
    void startMember() {
        MemberProcess member = members.start(Executables.candidate());
        client = member.jetcdClient();
        lock = client.getLockClient();
        election = client.getElectionClient();
        lease = client.getLeaseClient();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theSecondLockIsGrantedWhenTheFirstIsReleasedOrItsLeaseExpires() {
        long first = call(lease.grant(60)).getID();
        long second = call(lease.grant(60)).getID();
        long expiring = call(lease.grant(2)).getID();
        LockResponse held = call(lock.lock(bytes("jlock"), first));
        assertThat(held.getKey().toString(StandardCharsets.UTF_8)).isEqualTo("jlock/" + Long.toHexString(first));

        CompletableFuture<LockResponse> waiting = lock.lock(bytes("jlock"), second);
        Await.until(STEP_TIMEOUT, "the second contender's key", () -> keysUnder("jlock/") == 2);
        assertThat(waiting).isNotDone();
        call(lock.unlock(held.getKey()));
        assertThat(call(waiting).getKey().toString(StandardCharsets.UTF_8)).isEqualTo("jlock/" + Long.toHexString(second));

        call(lock.unlock(call(waiting).getKey()));
        call(lock.lock(bytes("jexpire"), expiring));
        LockResponse afterExpiry = call(lock.lock(bytes("jexpire"), first));
        assertThat(afterExpiry.getKey().toString(StandardCharsets.UTF_8)).isEqualTo("jexpire/" + Long.toHexString(first));
    }

    @Test
    void campaignProclaimLeaderObserveResign() {
        assertThat(catchThrowable(() -> election.leader(bytes("jelect")).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)))
                .hasCauseInstanceOf(NoLeaderException.class);
        List<String> observed = new ArrayList<>();
        election.observe(bytes("jelect"), new Election.Listener() {
            @Override
            public void onNext(LeaderResponse response) {
                synchronized (observed) {
                    observed.add(response.getKv().getValue().toString(StandardCharsets.UTF_8));
                }
            }

            @Override
            public void onError(Throwable failure) {
            }

            @Override
            public void onCompleted() {
            }
        });

        CampaignResponse won = call(election.campaign(bytes("jelect"), call(lease.grant(60)).getID(), bytes("one")));
        LeaderKey leader = won.getLeader();
        CompletableFuture<CampaignResponse> next = election.campaign(bytes("jelect"), call(lease.grant(60)).getID(), bytes("two"));
        call(election.proclaim(leader, bytes("one-b")));
        assertThat(call(election.leader(bytes("jelect"))).getKv().getValue().toString(StandardCharsets.UTF_8)).isEqualTo("one-b");
        assertThat(next).isNotDone();

        call(election.resign(leader));
        assertThat(call(next).getLeader().getKey()).isNotEqualTo(leader.getKey());
        assertThat(catchThrowable(() -> election.proclaim(leader, bytes("stale")).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)))
                .hasCauseInstanceOf(NotLeaderException.class);
        Await.until(STEP_TIMEOUT, "the observer saw one, one-b, two", () -> {
            synchronized (observed) {
                return observed.equals(List.of("one", "one-b", "two"));
            }
        });
    }

    private long keysUnder(String prefix) {
        return call(client.getKVClient().get(bytes(prefix),
                io.etcd.jetcd.options.GetOption.builder().isPrefix(true).withCountOnly(true).build())).getCount();
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
