package io.etcetera.kernel.server;

import io.etcetera.kernel.lease.LeaseProposals;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseCheckpoint;
import io.etcetera.spi.etcdserverpb.LeaseCheckpointRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Puts the leader lessor's decisions into the log as etcd does ({@code etcdserver/server.go}:
 * the expired-leases goroutine proposes a {@code LeaseRevoke} per lease, the checkpointer a
 * {@code LeaseCheckpoint}). Nobody waits for the answers: a failure is logged, and a lost
 * revocation is proposed again by the lessor after its retry interval. Thread-safe.
 */
final class LessorProposals implements LeaseProposals {

    private static final System.Logger LOG = System.getLogger(LessorProposals.class.getName());

    private final Proposer proposer;

    LessorProposals(Proposer proposer) {
        this.proposer = proposer;
    }

    @Override
    public void revoke(long leaseId) {
        proposer.propose(InternalRaftRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId)))
                .whenComplete((response, failure) -> {
                    if (failure != null && !isLeaseNotFound(failure)) {
                        LOG.log(Level.WARNING, "failed to revoke expired lease {0}: {1}",
                                Long.toHexString(leaseId), ExecutorFutures.unwrap(failure).getMessage());
                    }
                });
    }

    @Override
    public void checkpoint(List<LeaseCheckpoint> checkpoints) {
        proposer.propose(InternalRaftRequest.newBuilder()
                        .setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder().addAllCheckpoints(checkpoints)))
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "failed to checkpoint {0} leases: {1}", checkpoints.size(),
                                ExecutorFutures.unwrap(failure).getMessage());
                    }
                });
    }

    /** A lease revoked by a client meanwhile: the expiry has nothing left to do. */
    private static boolean isLeaseNotFound(Throwable failure) {
        return ExecutorFutures.unwrap(failure) instanceof EtcdException etcd && etcd.error() == EtcdError.LEASE_NOT_FOUND;
    }
}
