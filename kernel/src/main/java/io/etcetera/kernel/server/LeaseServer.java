package io.etcetera.kernel.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.lease.LeaseStatus;
import io.etcetera.kernel.lease.Lessor;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseLeasesRequest;
import io.etcetera.spi.etcdserverpb.LeaseLeasesResponse;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.server.LeaseService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The kernel's {@link LeaseService}: etcd's {@code v3rpc.LeaseServer} and {@code EtcdServer}'s
 * lease methods ({@code etcdserver/v3_server.go}) in one.
 * <ul>
 *   <li>grant and revoke are proposed through Raft and answered when applied; a grant without
 *       an id gets a positive one from the request id generator, as etcd
 *       ({@code reqIDGen.Next() & (1<<63 - 1)}), so ids look like etcd's: the member id's low 16
 *       bits, then time and a counter;</li>
 *   <li>keep-alive and time-to-live are answered by the leader's lessor once the applied index
 *       reaches a ReadIndex taken on arrival ({@link LinearizableReads}), so a lease
 *       just granted is known; the keep-alive header is filled before renewing, as etcd does, so
 *       its revision is never after a revocation the renewal raced with;</li>
 *   <li>leases are listed from the local lessor.</li>
 * </ul>
 * On a follower, keep-alive and time-to-live are forwarded to the leader ({@link LeaseForwarding},
 * etcd's {@code LeaseRenew} and {@code LeaseTimeToLive}) and answered with this member's header,
 * as etcd's {@code v3rpc} fills the header locally; the leader serves them through
 * {@link #servePeerRequests} with the same code as its own clients' requests.
 *
 * <p>Thread-safe. Futures complete on the executor, never on the apply thread.
 */
final class LeaseServer implements LeaseService {

    private final Lessor lessor;
    private final Proposer proposer;
    private final LinearizableReads reads;
    private final ResponseHeaders headers;
    private final RequestIdGenerator ids;
    private final Executor executor;
    private final BooleanSupplier isLeader;
    private final LeaseForwarding forwarding;

    /**
     * @param isLeader whether this member is the leader now
     * @param forwarding how a follower reaches the leader; null for a single member, which always leads
     */
    LeaseServer(Lessor lessor, Proposer proposer, LinearizableReads reads, ResponseHeaders headers,
            RequestIdGenerator ids, Executor executor, BooleanSupplier isLeader, LeaseForwarding forwarding) {
        this.isLeader = isLeader;
        this.forwarding = forwarding;
        this.lessor = lessor;
        this.proposer = proposer;
        this.reads = reads;
        this.headers = headers;
        this.ids = ids;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request) {
        long id = request.getID();
        while (id == 0) {
            id = ids.next() & Long.MAX_VALUE;
        }
        InternalRaftRequest.Builder proposal = InternalRaftRequest.newBuilder().setLeaseGrant(request.toBuilder().setID(id));
        return ExecutorFutures.onExecutor(proposer.propose(proposal), response -> {
            LeaseGrantResponse grant = (LeaseGrantResponse) response;
            return grant.toBuilder().setHeader(headers.stamp(grant.getHeader())).build();
        }, executor);
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> revoke(LeaseRevokeRequest request) {
        InternalRaftRequest.Builder proposal = InternalRaftRequest.newBuilder().setLeaseRevoke(request);
        return ExecutorFutures.onExecutor(proposer.propose(proposal), response -> {
            LeaseRevokeResponse revoke = (LeaseRevokeResponse) response;
            return revoke.toBuilder().setHeader(headers.stamp(revoke.getHeader())).build();
        }, executor);
    }

    /**
     * Answers the leader's peer requests: a follower's forwarded keep-alive
     * ({@link LeaseForwarding#KEEP_ALIVE}) and time-to-live ({@link LeaseForwarding#TIME_TO_LIVE}),
     * served locally whatever this member believes of its leadership (a lessor that is not the
     * primary answers {@code etcdserver: not leader}, and the follower tries again).
     */
    void servePeerRequests(PeerRequests requests) {
        requests.register(LeaseForwarding.KEEP_ALIVE, (from, body) -> decode(body, LeaseKeepAliveRequest::parseFrom)
                .thenCompose(this::renewLocally).thenApply(LeaseKeepAliveResponse::toByteArray));
        requests.register(LeaseForwarding.TIME_TO_LIVE, (from, body) -> decode(body, LeaseTimeToLiveRequest::parseFrom)
                .thenCompose(this::lookUpLocally).thenApply(LeaseTimeToLiveResponse::toByteArray));
    }

    /** Decodes a peer's request body. */
    @FunctionalInterface
    private interface Decoder<T> {
        T parse(byte[] body) throws InvalidProtocolBufferException;
    }

    private static <T> CompletableFuture<T> decode(byte[] body, Decoder<T> decoder) {
        try {
            return CompletableFuture.completedFuture(decoder.parse(body));
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("undecodable lease request: " + e.getMessage(), e));
        }
    }

    private boolean forwardsToLeader() {
        return forwarding != null && !isLeader.getAsBoolean();
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
        if (forwardsToLeader()) {
            ResponseHeader header = headers.stamp(ResponseHeader.getDefaultInstance());
            return ExecutorFutures.onExecutor(forwarding.keepAlive(request),
                    answer -> answer.toBuilder().setID(request.getID()).setHeader(header).build(), executor);
        }
        return renewLocally(request);
    }

    /** A renewal by this member's lessor, after a ReadIndex barrier; TTL 0 for a lease it does not know. */
    private CompletableFuture<LeaseKeepAliveResponse> renewLocally(LeaseKeepAliveRequest request) {
        LeaseKeepAliveResponse.Builder response = LeaseKeepAliveResponse.newBuilder()
                .setID(request.getID())
                .setHeader(headers.stamp(ResponseHeader.getDefaultInstance()));
        CompletableFuture<Long> renewed = reads.barrier()
                .thenCompose(applied -> lessor.renew(request.getID()));
        CompletableFuture<LeaseKeepAliveResponse> result = new CompletableFuture<>();
        renewed.whenCompleteAsync((ttl, failure) -> {
            Throwable cause = failure == null ? null : ExecutorFutures.unwrap(failure);
            if (cause == null) {
                result.complete(response.setTTL(ttl).build());
            } else if (cause instanceof EtcdException etcd && etcd.error() == EtcdError.LEASE_NOT_FOUND) {
                // etcd's v3rpc answers a lease it does not know with TTL 0, not an error
                result.complete(response.setTTL(0).build());
            } else {
                result.completeExceptionally(cause);
            }
        }, executor);
        return result;
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
        if (forwardsToLeader()) {
            return ExecutorFutures.onExecutor(forwarding.timeToLive(request), answer -> answer.toBuilder()
                    .setHeader(headers.stamp(ResponseHeader.getDefaultInstance())).build(), executor);
        }
        return lookUpLocally(request);
    }

    /** A lookup in this member's lessor, after a ReadIndex barrier; TTL -1 for a lease it does not know. */
    private CompletableFuture<LeaseTimeToLiveResponse> lookUpLocally(LeaseTimeToLiveRequest request) {
        return ExecutorFutures.onExecutor(reads.barrier(), applied -> {
            LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder().setID(request.getID());
            LeaseStatus status = lessor.status(request.getID(), request.getKeys());
            if (status == null) {
                // etcd's v3rpc answers an unknown lease with TTL -1, not an error
                response.setTTL(-1);
            } else {
                response.setTTL(status.remainingSeconds())
                        .setGrantedTTL(status.grantedTtlSeconds())
                        .addAllKeys(status.keys());
            }
            return response.setHeader(headers.stamp(ResponseHeader.getDefaultInstance())).build();
        }, executor);
    }

    @Override
    public CompletableFuture<LeaseLeasesResponse> leases(LeaseLeasesRequest request) {
        LeaseLeasesResponse.Builder response = LeaseLeasesResponse.newBuilder()
                .setHeader(headers.stamp(ResponseHeader.getDefaultInstance()));
        for (long id : lessor.leaseIds()) {
            response.addLeases(io.etcetera.spi.etcdserverpb.LeaseStatus.newBuilder().setID(id));
        }
        return CompletableFuture.completedFuture(response.build());
    }
}
