package io.etcetera.kernel.server;

import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.MoveLeaderRequest;
import io.etcetera.spi.etcdserverpb.MoveLeaderResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import io.etcetera.spi.server.MaintenanceService;
import io.etcetera.spi.storage.Backend;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@link MaintenanceService} facade: {@code Status} as etcd's {@code v3rpc/maintenance.go}
 * fills it, from this member's Raft loop, apply loop and backend; {@code MoveLeader} as etcd's
 * {@code EtcdServer.MoveLeader}: on the leader only, to a voting member, asking Raft for a leader
 * transfer and checking each heartbeat interval until the transferee leads or the request timeout
 * passes. Thread-safe.
 */
final class MaintenanceServer implements MaintenanceService {

    private static final System.Logger LOG = System.getLogger(MaintenanceServer.class.getName());

    /** The etcd release whose v3 API etcetera is checked against; reported as the server version. */
    static final String ETCD_VERSION = "3.4.23";

    private final ResponseHeaders headers;
    private final Backend backend;
    private final LongSupplier leader;
    private final LongSupplier commitIndex;
    private final LongSupplier term;
    private final LongSupplier appliedIndex;
    private final long localId;
    private final Membership membership;
    private final RaftLoop raft;
    private final long tickMs;
    private final long requestTimeoutMs;

    MaintenanceServer(ResponseHeaders headers, Backend backend, LongSupplier leader, LongSupplier commitIndex,
            LongSupplier term, LongSupplier appliedIndex, long localId, Membership membership, RaftLoop raft,
            long tickMs, long requestTimeoutMs) {
        this.localId = localId;
        this.membership = membership;
        this.raft = raft;
        this.tickMs = tickMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.headers = headers;
        this.backend = backend;
        this.leader = leader;
        this.commitIndex = commitIndex;
        this.term = term;
        this.appliedIndex = appliedIndex;
    }

    @Override
    public CompletableFuture<StatusResponse> status(StatusRequest request) {
        return CompletableFuture.completedFuture(StatusResponse.newBuilder()
                .setHeader(headers.stamp(ResponseHeader.getDefaultInstance()))
                .setVersion(ETCD_VERSION)
                .setDbSize(backend.sizeBytes())
                .setDbSizeInUse(backend.sizeInUseBytes())
                .setLeader(leader.getAsLong())
                .setRaftIndex(commitIndex.getAsLong())
                .setRaftTerm(term.getAsLong())
                .setRaftAppliedIndex(appliedIndex.getAsLong())
                .setIsLearner(membership.current().member(localId).map(ClusterMember::isLearner).orElse(false))
                .build());
    }

    @Override
    public CompletableFuture<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        if (leader.getAsLong() != localId) {
            return CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception());
        }
        long transferee = request.getTargetID();
        boolean voter = membership.current().member(transferee).map(m -> !m.isLearner()).orElse(false);
        if (!voter) {
            return CompletableFuture.failedFuture(EtcdError.BAD_LEADER_TRANSFEREE.exception());
        }
        LOG.log(Level.INFO, "leadership transfer starting from {0} to {1}", MemberIdentity.toHex(localId),
                MemberIdentity.toHex(transferee));
        CompletableFuture<MoveLeaderResponse> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        raft.call(node -> {
            node.transferLeader(transferee);
            return null;
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                awaitLeader(transferee, deadline, done);
            }
        });
        return done;
    }

    /** Checks every tick whether {@code transferee} leads, until {@code deadline} (System.nanoTime). */
    private void awaitLeader(long transferee, long deadline, CompletableFuture<MoveLeaderResponse> done) {
        if (leader.getAsLong() == transferee) {
            LOG.log(Level.INFO, "leadership transfer to {0} finished", MemberIdentity.toHex(transferee));
            done.complete(MoveLeaderResponse.newBuilder().setHeader(headers.stamp(ResponseHeader.getDefaultInstance())).build());
        } else if (System.nanoTime() - deadline >= 0) {
            done.completeExceptionally(EtcdError.LEADER_TRANSFER_TIMEOUT.exception());
        } else {
            CompletableFuture.delayedExecutor(tickMs, TimeUnit.MILLISECONDS)
                    .execute(() -> awaitLeader(transferee, deadline, done));
        }
    }
}
