package io.etcetera.kernel.server;

import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import io.etcetera.spi.server.MaintenanceService;
import io.etcetera.spi.storage.Backend;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The {@link MaintenanceService} facade: {@code Status} as etcd's {@code v3rpc/maintenance.go}
 * fills it, from this member's Raft loop, apply loop and backend. Thread-safe.
 */
final class MaintenanceServer implements MaintenanceService {

    /** The etcd release whose v3 API etcetera is checked against; reported as the server version. */
    static final String ETCD_VERSION = "3.4.23";

    private final ResponseHeaders headers;
    private final Backend backend;
    private final LongSupplier leader;
    private final LongSupplier commitIndex;
    private final LongSupplier term;
    private final LongSupplier appliedIndex;

    MaintenanceServer(ResponseHeaders headers, Backend backend, LongSupplier leader, LongSupplier commitIndex,
            LongSupplier term, LongSupplier appliedIndex) {
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
                .setIsLearner(false)
                .build());
    }
}
