package io.etcetera.spi.server;

import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's {@code etcdserverpb.Maintenance} service as the kernel offers it (etcd's
 * {@code etcdserver/api/v3rpc/maintenance.go}); only {@code Status} so far. Thread-safe.
 */
public interface MaintenanceService {

    /**
     * This member's status, with etcd's field meanings: {@code version} (the etcd version the
     * API matches), {@code dbSize} and {@code dbSizeInUse} (backend bytes), {@code leader} (member
     * id, 0 when none), {@code raftIndex} (commit index), {@code raftTerm},
     * {@code raftAppliedIndex}, {@code isLearner}.
     */
    CompletableFuture<StatusResponse> status(StatusRequest request);
}
