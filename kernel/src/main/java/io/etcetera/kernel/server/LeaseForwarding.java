package io.etcetera.kernel.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcetera.spi.transport.PeerRequestException;
import io.etcetera.spi.transport.PeerTransport;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A follower's LeaseKeepAlive and LeaseTimeToLive, forwarded to the leader (etcd's
 * {@code EtcdServer.LeaseRenew} and {@code LeaseTimeToLive} in {@code etcdserver/v3_server.go},
 * which POST to the leader's {@code /leases} and {@code /leases/internal}): only the leader's
 * lessor knows when a lease expires.
 *
 * <p>As etcd does, a forwarded request is retried, every {@link #RETRY_INTERVAL_MS} ms, while
 * there is no leader, the leader cannot be reached or answers that it is not the leader (any more):
 * across a leader change the request reaches the new leader. It fails with
 * {@link EtcdError#TIMEOUT} when the request timeout passes first. Errors the leader answers
 * with are carried back as the same {@link EtcdError}, recognised by etcd's text; those that
 * are no reason to try again (e.g. {@code etcdserver: too many requests}) end the request.
 *
 * <p>Thread-safe. Futures complete on the given executor.
 */
final class LeaseForwarding {
    private static final System.Logger LOG = System.getLogger(LeaseForwarding.class.getName());

    /** The peer request method of a renewal (etcd's {@code /leases}): a LeaseKeepAliveRequest, answered with a LeaseKeepAliveResponse. */
    static final String KEEP_ALIVE = "lease.keepalive";
    /** The peer request method of a lookup (etcd's {@code /leases/internal}): a LeaseTimeToLiveRequest and response. */
    static final String TIME_TO_LIVE = "lease.timetolive";
    /** Wait between attempts, in ms (etcd throttles its forwarding loop by 50 ms too). */
    static final long RETRY_INTERVAL_MS = 50;

    /** Errors after which another attempt may succeed: the leader changed, or is changing. */
    private static final Set<EtcdError> RETRYABLE = Set.of(EtcdError.NOT_LEADER, EtcdError.NO_LEADER,
            EtcdError.LEADER_CHANGED, EtcdError.STOPPED, EtcdError.TIMEOUT, EtcdError.TIMEOUT_DUE_TO_LEADER_FAIL,
            EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST, EtcdError.TIMEOUT_WAIT_APPLIED_INDEX);
    private static final Map<String, EtcdError> BY_MESSAGE = Arrays.stream(EtcdError.values())
            .collect(Collectors.toUnmodifiableMap(EtcdError::message, Function.identity(), (a, b) -> a));

    /** Decodes the leader's answer. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private final PeerTransport transport;
    private final LongSupplier leader;
    private final long requestTimeoutMs;
    private final Executor executor;

    /**
     * @param leader the known leader's id, 0 when none (the Raft loop's {@code lead})
     * @param requestTimeoutMs how long a forwarded request may take over all attempts, in ms
     */
    LeaseForwarding(PeerTransport transport, LongSupplier leader, long requestTimeoutMs, Executor executor) {
        this.transport = transport;
        this.leader = leader;
        this.requestTimeoutMs = requestTimeoutMs;
        this.executor = executor;
    }

    /** The leader's answer to a renewal: its TTL in seconds, 0 when it knows no such lease. */
    CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
        return forward(KEEP_ALIVE, request.toByteArray(), LeaseKeepAliveResponse::parseFrom);
    }

    /** The leader's answer to a lookup: TTL -1 when it knows no such lease. */
    CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
        return forward(TIME_TO_LIVE, request.toByteArray(), LeaseTimeToLiveResponse::parseFrom);
    }

    private <T> CompletableFuture<T> forward(String method, byte[] body, Parser<T> parser) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        attempt(method, body, parser, deadlineNanos, result);
        return result;
    }

    private <T> void attempt(String method, byte[] body, Parser<T> parser, long deadlineNanos, CompletableFuture<T> result) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0) {
            result.completeExceptionally(EtcdError.TIMEOUT.exception());
            return;
        }
        long to = leader.getAsLong();
        if (to == 0) {
            retryLater(method, body, parser, deadlineNanos, result);
            return;
        }
        transport.request(to, method, body, remainingMs).whenCompleteAsync((answer, failure) -> {
            if (failure == null) {
                try {
                    result.complete(parser.parse(answer));
                } catch (InvalidProtocolBufferException e) {
                    result.completeExceptionally(new IllegalStateException("leader " + Long.toHexString(to)
                            + " answered " + method + " with an undecodable message", e));
                }
                return;
            }
            Optional<EtcdError> error = etcdError(ExecutorFutures.unwrap(failure));
            if (error.isPresent() && !RETRYABLE.contains(error.get())) {
                result.completeExceptionally(error.get().exception());
                return;
            }
            LOG.log(Level.DEBUG, "forwarding {0} to leader {1} failed, trying again: {2}", method,
                    Long.toHexString(to), failure.getMessage());
            retryLater(method, body, parser, deadlineNanos, result);
        }, executor);
    }

    private <T> void retryLater(String method, byte[] body, Parser<T> parser, long deadlineNanos, CompletableFuture<T> result) {
        CompletableFuture.delayedExecutor(RETRY_INTERVAL_MS, TimeUnit.MILLISECONDS, executor)
                .execute(() -> attempt(method, body, parser, deadlineNanos, result));
    }

    /** The etcd error a peer answered with, recognised by its exact text; empty for transport failures and other text. */
    static Optional<EtcdError> etcdError(Throwable failure) {
        if (failure instanceof PeerRequestException peer && peer.remote()) {
            return Optional.ofNullable(BY_MESSAGE.get(peer.getMessage()));
        }
        if (failure instanceof EtcdException etcd) {
            return Optional.of(etcd.error());
        }
        return Optional.empty();
    }
}
