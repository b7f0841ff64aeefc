package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.ClusterGrpc;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.server.ClusterService;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/**
 * etcd's {@code etcdserverpb.Cluster} gRPC service: {@code MemberList} is handed to the kernel's
 * {@link ClusterService}; membership changes answer {@code UNIMPLEMENTED} until they land.
 * Thread-safe.
 */
final class ClusterGrpcService extends ClusterGrpc.ClusterImplBase {
    private final ClusterService cluster;
    private final UnaryResponder responder;

    ClusterGrpcService(ClusterService cluster, UnaryResponder responder) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
        responder.reply(() -> cluster.memberList(request), observer);
    }
}
