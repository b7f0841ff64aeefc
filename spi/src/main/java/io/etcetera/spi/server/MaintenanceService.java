package io.etcetera.spi.server;

import io.etcetera.spi.etcdserverpb.MoveLeaderRequest;
import io.etcetera.spi.etcdserverpb.MoveLeaderResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's {@code etcdserverpb.Maintenance} service as the kernel offers it (etcd's
 * {@code etcdserver/api/v3rpc/maintenance.go}): {@code Status} and {@code MoveLeader}. Thread-safe.
 */
public interface MaintenanceService {

    /**
     * This member's status, with etcd's field meanings: {@code version} (the etcd version the
     * API matches), {@code dbSize} and {@code dbSizeInUse} (backend bytes), {@code leader} (member
     * id, 0 when none), {@code raftIndex} (commit index), {@code raftTerm},
     * {@code raftAppliedIndex}, {@code isLearner}.
     */
    CompletableFuture<StatusResponse> status(StatusRequest request);

    /**
     * Hands leadership to voter {@code targetID} (etcd's {@code EtcdServer.MoveLeader}) and
     * completes once this member sees it leading. Fails with {@code etcdserver: not leader} on a
     * follower, {@code etcdserver: bad leader transferee} for an unknown id or a learner, and
     * {@code etcdserver: request timed out, leader transfer took too long} when the transfer does
     * not finish within the request timeout.
     */
    CompletableFuture<MoveLeaderResponse> moveLeader(MoveLeaderRequest request);
}
