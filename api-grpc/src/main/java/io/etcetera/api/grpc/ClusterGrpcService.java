package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.ClusterGrpc;
import io.etcetera.spi.etcdserverpb.MemberAddRequest;
import io.etcetera.spi.etcdserverpb.MemberAddResponse;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.etcdserverpb.MemberPromoteRequest;
import io.etcetera.spi.etcdserverpb.MemberPromoteResponse;
import io.etcetera.spi.etcdserverpb.MemberRemoveRequest;
import io.etcetera.spi.etcdserverpb.MemberRemoveResponse;
import io.etcetera.spi.etcdserverpb.MemberUpdateRequest;
import io.etcetera.spi.etcdserverpb.MemberUpdateResponse;
import io.etcetera.spi.server.ClusterService;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/**
 * etcd's {@code etcdserverpb.Cluster} gRPC service: {@code MemberList}, {@code MemberAdd},
 * {@code MemberRemove}, {@code MemberUpdate} and {@code MemberPromote} are handed to the kernel's
 * {@link ClusterService}.
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

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
        responder.reply(() -> cluster.memberAdd(request), observer);
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> observer) {
        responder.reply(() -> cluster.memberRemove(request), observer);
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> observer) {
        responder.reply(() -> cluster.memberUpdate(request), observer);
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> observer) {
        responder.reply(() -> cluster.memberPromote(request), observer);
    }
}
