package io.etcetera.kernel.server;

import io.etcetera.spi.etcdserverpb.ResponseHeader;
import java.util.function.LongSupplier;

/**
 * Fills the response header as etcd's gRPC layer does ({@code v3rpc/header.go}): cluster id,
 * member id and the current Raft term; the revision the store set is kept, and only when it is 0
 * is it set to the store's current revision. Only the top-level header is filled, as in etcd:
 * headers of responses nested in a txn keep just their revision.
 *
 * <p>Thread-safe.
 */
final class ResponseHeaders {

    private final MemberIdentity identity;
    private final LongSupplier raftTerm;
    private final LongSupplier currentRevision;

    ResponseHeaders(MemberIdentity identity, LongSupplier raftTerm, LongSupplier currentRevision) {
        this.identity = identity;
        this.raftTerm = raftTerm;
        this.currentRevision = currentRevision;
    }

    /** A full header for {@code revision}, kept as given even when 0 (watch responses, etcd {@code newResponseHeader}). */
    ResponseHeader at(long revision) {
        return ResponseHeader.newBuilder()
                .setClusterId(identity.clusterId())
                .setMemberId(identity.memberId())
                .setRaftTerm(raftTerm.getAsLong())
                .setRevision(revision)
                .build();
    }

    ResponseHeader stamp(ResponseHeader header) {
        ResponseHeader.Builder stamped = header.toBuilder()
                .setClusterId(identity.clusterId())
                .setMemberId(identity.memberId())
                .setRaftTerm(raftTerm.getAsLong());
        if (header.getRevision() == 0) {
            stamped.setRevision(currentRevision.getAsLong());
        }
        return stamped.build();
    }
}
