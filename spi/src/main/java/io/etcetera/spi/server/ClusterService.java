package io.etcetera.spi.server;

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
import java.util.concurrent.CompletableFuture;

/**
 * etcd's {@code etcdserverpb.Cluster} service as the kernel offers it (etcd's
 * {@code etcdserver/api/v3rpc/member.go}, {@code etcdserver/server.go}). A membership change is
 * proposed through Raft as a conf change and answered once this member applied it, with the
 * members after the change. Errors are etcd's ({@code v3rpc/util.go}): {@code member not found}
 * (unknown or removed id), {@code member ID already exist}, {@code Peer URLs already exists},
 * {@code given member URLs are invalid}, {@code can only promote a learner member},
 * {@code can only promote a learner member which is in sync with leader},
 * {@code too many learner members in cluster}, and with {@code --strict-reconfig-check}
 * {@code re-configuration failed due to not enough started members} and
 * {@code unhealthy cluster}; also {@code no leader}, {@code request timed out},
 * {@code server stopped}. Futures fail with {@link io.etcetera.spi.error.EtcdException}.
 * Thread-safe.
 */
public interface ClusterService {

    /**
     * The members of the cluster, in unsigned id order: id, name, peer URLs, client URLs (empty
     * for a member whose client URLs this member does not know), learner flag. The header carries
     * the serving member's id and the current Raft term.
     */
    CompletableFuture<MemberListResponse> memberList(MemberListRequest request);

    /**
     * Adds a member (a learner when {@code isLearner}) with {@code peerURLs}; its id is etcd's
     * (SHA-1 of the peer URLs and the time in seconds). The response holds the new member (no
     * name and no client URLs until it starts) and every member.
     */
    CompletableFuture<MemberAddResponse> memberAdd(MemberAddRequest request);

    /** Removes member {@code ID}; its id can never join again. The response lists the members left. */
    CompletableFuture<MemberRemoveResponse> memberRemove(MemberRemoveRequest request);

    /** Replaces member {@code ID}'s peer URLs. The response lists the members. */
    CompletableFuture<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request);

    /**
     * Promotes learner {@code ID} to a voter once its log is within 90% of the leader's; a
     * follower asks the leader. The response lists the members.
     */
    CompletableFuture<MemberPromoteResponse> memberPromote(MemberPromoteRequest request);
}
