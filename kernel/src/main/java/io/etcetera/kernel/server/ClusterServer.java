package io.etcetera.kernel.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.tracker.Progress;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.Member;
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
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.server.ClusterService;
import io.etcetera.spi.transport.PeerTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link ClusterService} facade (etcd's {@code v3rpc/member.go} over
 * {@code etcdserver/server.go}): {@code MemberList} answers locally from the applied membership
 * (as etcd 3.4 does without {@code linearizable}); {@code MemberAdd}, {@code MemberRemove},
 * {@code MemberUpdate} and {@code MemberPromote} are checked ({@link MembershipChecks}) against
 * the applied membership, proposed as conf changes ({@link ConfChangeProposer}) and answered with
 * the members once applied here.
 *
 * <p>{@code MemberPromote} needs the leader's view of the learner's log: on the leader it reads the
 * learner's match index on the Raft thread; a follower asks the leader over the peer transport
 * ({@link MembershipPeerService#PROMOTE}), as etcd's {@code promoteMemberHTTP}. A cluster running
 * without a peer transport (one member started alone) cannot change its membership
 * ({@link EtcdError#NOT_CAPABLE}). Responses complete on {@code executor}. Thread-safe.
 */
final class ClusterServer implements ClusterService {

    private final long localId;
    private final Membership membership;
    private final ResponseHeaders headers;
    private final RaftLoop raft;
    private final ConfChangeProposer proposer;
    private final MembershipChecks checks;
    private final Supplier<PeerTransport> transport;
    private final Clock clock;
    private final long requestTimeoutMs;
    private final Executor executor;

    ClusterServer(long localId, Membership membership, ResponseHeaders headers, RaftLoop raft,
            ConfChangeProposer proposer, MembershipChecks checks, Supplier<PeerTransport> transport, Clock clock,
            long requestTimeoutMs, Executor executor) {
        this.localId = localId;
        this.membership = membership;
        this.headers = headers;
        this.raft = raft;
        this.proposer = proposer;
        this.checks = checks;
        this.transport = transport;
        this.clock = clock;
        this.requestTimeoutMs = requestTimeoutMs;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<MemberListResponse> memberList(MemberListRequest request) {
        return CompletableFuture.completedFuture(MemberListResponse.newBuilder()
                .setHeader(header())
                .addAllMembers(toProto(membership.members()))
                .build());
    }

    @Override
    public CompletableFuture<MemberAddResponse> memberAdd(MemberAddRequest request) {
        ClusterMember added;
        try {
            requireTransport();
            List<URI> peerUrls = parseUrls(request.getPeerURLsList());
            // etcd's membership.NewMember("", urls, "", now): the id hashes the URLs and the time in seconds
            long id = MemberIdentity.computeMemberId(peerUrls, Long.toString(clock.instant().getEpochSecond()));
            added = new ClusterMember(id, "", peerUrls, List.of(), request.getIsLearner());
            checks.checkAdd(membership.current(), added);
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        ConfChangeType type = added.isLearner() ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode;
        return answer(proposer.propose(type, added.id(), added.toJson()), members -> MemberAddResponse.newBuilder()
                .setHeader(header())
                .setMember(toProto(added))
                .addAllMembers(members.getMembersList())
                .build());
    }

    @Override
    public CompletableFuture<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
        try {
            requireTransport();
            checks.checkRemove(membership.current(), request.getID());
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return answer(proposer.propose(ConfChangeType.ConfChangeRemoveNode, request.getID(), new byte[0]),
                members -> MemberRemoveResponse.newBuilder().setHeader(header())
                        .addAllMembers(members.getMembersList()).build());
    }

    @Override
    public CompletableFuture<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
        ClusterMember updated;
        try {
            requireTransport();
            List<URI> peerUrls = parseUrls(request.getPeerURLsList());
            checks.checkUpdate(membership.current(), request.getID(), peerUrls);
            updated = membership.current().member(request.getID()).orElseThrow().withPeerUrls(peerUrls);
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return answer(proposer.propose(ConfChangeType.ConfChangeUpdateNode, updated.id(), updated.toJson()),
                members -> MemberUpdateResponse.newBuilder().setHeader(header())
                        .addAllMembers(members.getMembersList()).build());
    }

    @Override
    public CompletableFuture<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
        try {
            requireTransport();
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        long leader = raft.lead();
        CompletableFuture<MemberListResponse> promoted;
        if (leader == localId) {
            promoted = promoteAsLeader(request.getID());
        } else if (leader == RaftNode.NONE) {
            promoted = CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
        } else {
            promoted = askLeaderToPromote(leader, request.getID());
        }
        return answer(promoted, members -> MemberPromoteResponse.newBuilder().setHeader(header())
                .addAllMembers(members.getMembersList()).build());
    }

    /**
     * On the leader: checks the learner's progress (etcd's {@code isLearnerReady}) and the
     * membership, then proposes the promotion. Also serves a follower's forwarded request.
     *
     * @return the members once applied; fails with {@link EtcdError#NOT_LEADER} when this member
     *     is not the leader any more
     */
    CompletableFuture<MemberListResponse> promoteAsLeader(long id) {
        return raft.call(node -> {
            if (node.lead() != localId) {
                throw EtcdError.NOT_LEADER.exception();
            }
            Progress self = node.progress(localId);
            Progress learner = node.progress(id);
            return new long[] {self == null ? 0 : self.match(), learner == null ? -1 : learner.match()};
        }).thenCompose(match -> {
            checks.checkPromote(membership.current(), id, match[0], match[1]);
            ClusterMember member = membership.current().member(id).orElseThrow();
            return proposer.propose(ConfChangeType.ConfChangeAddNode, id, member.promoted().toJson());
        });
    }

    private CompletableFuture<MemberListResponse> askLeaderToPromote(long leader, long id) {
        byte[] body = ByteBuffer.allocate(Long.BYTES).putLong(id).array();
        return transport.get().request(leader, MembershipPeerService.PROMOTE, body, requestTimeoutMs)
                .handle((bytes, failure) -> {
                    if (failure != null) {
                        throw asEtcdError(failure);
                    }
                    try {
                        return MemberListResponse.parseFrom(bytes);
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException("the leader answered a promotion with a malformed member list", e);
                    }
                });
    }

    /** The etcd error the leader answered with (by etcd's text), else {@code request timed out}. */
    private static EtcdException asEtcdError(Throwable failure) {
        return LeaseForwarding.etcdError(ExecutorFutures.unwrap(failure)).orElse(EtcdError.TIMEOUT).exception();
    }

    private <T> CompletableFuture<T> answer(CompletableFuture<MemberListResponse> applied,
            Function<MemberListResponse, T> response) {
        return ExecutorFutures.onExecutor(applied, response, executor);
    }

    private void requireTransport() {
        if (transport.get() == null) {
            throw EtcdError.NOT_CAPABLE.exception();
        }
    }

    private ResponseHeader header() {
        return headers.stamp(ResponseHeader.getDefaultInstance());
    }

    /** etcd's {@code types.NewURLs}: absolute URLs with a scheme and a host, else {@code given member URLs are invalid}. */
    private static List<URI> parseUrls(List<String> urls) {
        List<URI> parsed = new ArrayList<>(urls.size());
        for (String url : urls) {
            try {
                URI uri = new URI(url);
                if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0
                        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw EtcdError.MEMBER_BADUR_LS.exception();
                }
                parsed.add(uri);
            } catch (URISyntaxException e) {
                throw EtcdError.MEMBER_BADUR_LS.exception();
            }
        }
        if (parsed.isEmpty()) {
            throw EtcdError.MEMBER_BADUR_LS.exception();
        }
        return parsed;
    }

    /** The members as etcd's protobuf {@code Member}s. */
    static List<Member> toProto(List<ClusterMember> members) {
        return members.stream().map(ClusterServer::toProto).toList();
    }

    static Member toProto(ClusterMember member) {
        return Member.newBuilder()
                .setID(member.id())
                .setName(member.name())
                .addAllPeerURLs(member.peerUrls().stream().map(URI::toString).toList())
                .addAllClientURLs(member.clientUrls().stream().map(URI::toString).toList())
                .setIsLearner(member.isLearner())
                .build();
    }
}
