package io.etcetera.kernel.server;

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
 * Until followers forward to the leader (multi-member Raft), renewals on a member whose lessor
 * is not the primary fail with {@code etcdserver: not leader}.
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

    LeaseServer(Lessor lessor, Proposer proposer, LinearizableReads reads, ResponseHeaders headers,
            RequestIdGenerator ids, Executor executor) {
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

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
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
