package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcetera.spi.transport.PeerRequestException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A follower's forwarding of keep-alive and time-to-live to the leader (etcd's
 * {@code LeaseRenew}/{@code LeaseTimeToLive} loops): retried across "no leader", "not leader"
 * and unreachable leaders until the request timeout; etcd errors come back as themselves.
 */
class LeaseForwardingTest {
    private static final long TIMEOUT_MS = 10_000;

    /** Peer requests delivered in memory to each member's {@link PeerRequests}; unknown members are unreachable. */
    private static final class InMemoryPeers extends QuietPeerTransport {
        final Map<Long, PeerRequests> members = new ConcurrentHashMap<>();
        final List<Long> calledMembers = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<byte[]> request(long to, String method, byte[] body, long timeoutMs) {
            calledMembers.add(to);
            PeerRequests peer = members.get(to);
            if (peer == null) {
                return CompletableFuture.failedFuture(new PeerRequestException("dial: connection refused", false, null));
            }
            // What the wire does to a failure: only its message crosses.
            return peer.onRequest(1, method, body).handle((answer, failure) -> {
                if (failure != null) {
                    Throwable cause = ExecutorFutures.unwrap(failure);
                    throw new java.util.concurrent.CompletionException(new PeerRequestException(cause.getMessage()));
                }
                return answer;
            });
        }
    }

    private final InMemoryPeers peers = new InMemoryPeers();
    private final AtomicLong leader = new AtomicLong();

    private LeaseForwarding forwarding(long requestTimeoutMs) {
        return new LeaseForwarding(peers, leader::get, requestTimeoutMs, ForkJoinPool.commonPool());
    }

    /** A leader whose keep-alive answers TTL 30 and whose time-to-live answers granted TTL 60. */
    private static PeerRequests leaderAnswering() {
        PeerRequests requests = new PeerRequests();
        requests.register(LeaseForwarding.KEEP_ALIVE, (from, body) -> CompletableFuture.completedFuture(
                LeaseKeepAliveResponse.newBuilder().setID(7).setTTL(30).build().toByteArray()));
        requests.register(LeaseForwarding.TIME_TO_LIVE, (from, body) -> CompletableFuture.completedFuture(
                LeaseTimeToLiveResponse.newBuilder().setID(7).setTTL(42).setGrantedTTL(60).build().toByteArray()));
        return requests;
    }

    /** A member that has lost leadership: its lessor is not the primary. */
    private static PeerRequests formerLeader() {
        PeerRequests requests = new PeerRequests();
        requests.register(LeaseForwarding.KEEP_ALIVE,
                (from, body) -> CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception()));
        return requests;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void keepAliveAndTimeToLiveAreAnsweredByTheLeader() throws Exception {
        peers.members.put(2L, leaderAnswering());
        leader.set(2);
        LeaseForwarding forwarding = forwarding(TIMEOUT_MS);

        assertThat(get(forwarding.keepAlive(LeaseKeepAliveRequest.newBuilder().setID(7).build())).getTTL()).isEqualTo(30);
        LeaseTimeToLiveResponse ttl = get(forwarding.timeToLive(LeaseTimeToLiveRequest.newBuilder().setID(7).build()));
        assertThat(ttl.getTTL()).isEqualTo(42);
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
    }

    @Test
    void aRequestWaitsForALeaderAndFollowsALeaderChange() throws Exception {
        peers.members.put(2L, formerLeader());
        LeaseForwarding forwarding = forwarding(TIMEOUT_MS);

        CompletableFuture<LeaseKeepAliveResponse> renewal = forwarding.keepAlive(LeaseKeepAliveRequest.newBuilder().setID(7).build());
        leader.set(3); // unreachable
        io.etcetera.kernel.Eventually.await("the unreachable leader is tried", () -> peers.calledMembers.contains(3L));
        leader.set(2); // reachable, but no longer the leader
        io.etcetera.kernel.Eventually.await("the former leader is tried", () -> peers.calledMembers.contains(2L));
        assertThat(renewal).isNotDone();
        peers.members.put(4L, leaderAnswering());
        leader.set(4);

        assertThat(get(renewal).getTTL()).isEqualTo(30);
    }

    @Test
    void anErrorThatRetryingCannotCureComesBackAsTheSameEtcdError() {
        PeerRequests overloaded = new PeerRequests();
        overloaded.register(LeaseForwarding.KEEP_ALIVE,
                (from, body) -> CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_MANY_REQUESTS.exception()));
        peers.members.put(2L, overloaded);
        leader.set(2);

        assertThatThrownBy(() -> get(forwarding(TIMEOUT_MS).keepAlive(LeaseKeepAliveRequest.newBuilder().setID(7).build())))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EtcdException.class)
                .satisfies(e -> assertThat(((EtcdException) e).error()).isEqualTo(EtcdError.REQUEST_TOO_MANY_REQUESTS));
    }

    @Test
    void withoutALeaderTheRequestTimesOut() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(forwarding(300).timeToLive(LeaseTimeToLiveRequest.newBuilder().setID(7).build())))
                .cause().isInstanceOf(EtcdException.class)
                .satisfies(e -> assertThat(((EtcdException) e).error()).isEqualTo(EtcdError.TIMEOUT));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void peerRequestsAnswerOnlyRegisteredMethodsAndEachOnce() throws Exception {
        PeerRequests requests = leaderAnswering();
        assertThatThrownBy(() -> requests.register(LeaseForwarding.KEEP_ALIVE, (from, body) -> null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> get(requests.onRequest(2, "members", new byte[0])))
                .cause().isInstanceOf(PeerRequestException.class).hasMessage("unknown peer request method members");
        assertThat(get(requests.onRequest(2, LeaseForwarding.KEEP_ALIVE, new byte[0]))).isNotEmpty();
    }
}
