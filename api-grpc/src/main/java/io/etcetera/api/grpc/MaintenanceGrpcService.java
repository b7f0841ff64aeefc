package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.MaintenanceGrpc;
import io.etcetera.spi.etcdserverpb.MoveLeaderRequest;
import io.etcetera.spi.etcdserverpb.MoveLeaderResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import io.etcetera.spi.server.MaintenanceService;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/**
 * etcd's {@code etcdserverpb.Maintenance} gRPC service: {@code Status} and {@code MoveLeader} are handed
 * to the kernel's {@link MaintenanceService}; the other RPCs answer {@code UNIMPLEMENTED} until
 * they land.
 * Thread-safe.
 */
final class MaintenanceGrpcService extends MaintenanceGrpc.MaintenanceImplBase {
    private final MaintenanceService maintenance;
    private final UnaryResponder responder;

    MaintenanceGrpcService(MaintenanceService maintenance, UnaryResponder responder) {
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        responder.reply(() -> maintenance.status(request), observer);
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
        responder.reply(() -> maintenance.moveLeader(request), observer);
    }
}
