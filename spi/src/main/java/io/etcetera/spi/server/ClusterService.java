package io.etcetera.spi.server;

import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's {@code etcdserverpb.Cluster} service as the kernel offers it (etcd's
 * {@code etcdserver/api/v3rpc/member.go}). Membership changes (add, remove, update, promote) come
 * later. Thread-safe.
 */
public interface ClusterService {

    /**
     * The members of the cluster, in unsigned id order: id, name, peer URLs, client URLs (empty
     * for a member whose client URLs this member does not know), learner flag. The header carries
     * the serving member's id and the current Raft term.
     */
    CompletableFuture<MemberListResponse> memberList(MemberListRequest request);
}
