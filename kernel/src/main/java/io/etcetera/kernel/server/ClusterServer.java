package io.etcetera.kernel.server;

import io.etcetera.spi.etcdserverpb.Member;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.server.ClusterService;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link ClusterService} facade: lists the members stored in the {@code members} bucket
 * (etcd's {@code v3rpc/member.go MemberList}, served locally as etcd 3.4 does without
 * {@code linearizable}). Membership changes are not offered yet. Thread-safe.
 */
final class ClusterServer implements ClusterService {

    private final List<ClusterMember> members;
    private final ResponseHeaders headers;

    ClusterServer(List<ClusterMember> members, ResponseHeaders headers) {
        this.members = List.copyOf(members);
        this.headers = headers;
    }

    @Override
    public CompletableFuture<MemberListResponse> memberList(MemberListRequest request) {
        MemberListResponse.Builder response = MemberListResponse.newBuilder()
                .setHeader(headers.stamp(ResponseHeader.getDefaultInstance()));
        for (ClusterMember member : members) {
            response.addMembers(Member.newBuilder()
                    .setID(member.id())
                    .setName(member.name())
                    .addAllPeerURLs(member.peerUrls().stream().map(URI::toString).toList())
                    .addAllClientURLs(member.clientUrls().stream().map(URI::toString).toList()));
        }
        return CompletableFuture.completedFuture(response.build());
    }
}
