package io.etcetera.kernel.server;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.raft.ProposalDroppedException;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Proposes membership changes as Raft conf changes (etcd's {@code EtcdServer.configure}): the
 * change gets a fresh request id ({@code ConfChange.id}) whose waiter the
 * {@link MembershipApplier} answers once the entry is applied here, with the members after the
 * change. The proposal runs on the Raft loop thread ({@link RaftLoop#call}); a follower forwards
 * it to the leader.
 *
 * <p>Failures: {@link EtcdError#NO_LEADER} when there is no leader; {@link EtcdError#TIMEOUT} when
 * the change is not applied within the request timeout, and at once when the leader still has an
 * unapplied conf change (etcd's Raft drops such a proposal and its caller times out). Thread-safe.
 */
final class ConfChangeProposer {

    private final RaftLoop raft;
    private final Wait wait;
    private final RequestIdGenerator ids;
    private final long requestTimeoutMs;

    ConfChangeProposer(RaftLoop raft, Wait wait, RequestIdGenerator ids, long requestTimeoutMs) {
        this.raft = raft;
        this.wait = wait;
        this.ids = ids;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Proposes a {@code type} change of member {@code memberId}, {@code context} being the
     * member's JSON (empty for a removal).
     *
     * @return the members once applied (no header)
     */
    CompletableFuture<MemberListResponse> propose(ConfChangeType type, long memberId, byte[] context) {
        long id = ids.next();
        ConfChange change = ConfChange.newBuilder().setId(id).setType(type).setNodeId(memberId)
                .setContext(ByteString.copyFrom(context)).build();
        CompletableFuture<MemberListResponse> applied = wait.register(id).thenApply(MemberListResponse.class::cast);
        raft.call(node -> {
            proposeOn(node, change);
            return null;
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                wait.fail(id, failure instanceof CompletionException ? failure.getCause() : failure);
            }
        });
        RequestTimeouts.onTimeout(applied, requestTimeoutMs, () -> wait.fail(id, EtcdError.TIMEOUT.exception()));
        return applied;
    }

    private static void proposeOn(RaftNode node, ConfChange change) {
        try {
            node.proposeConfChange(change);
        } catch (ProposalDroppedException e) {
            throw (node.lead() == RaftNode.NONE ? EtcdError.NO_LEADER : EtcdError.TIMEOUT).exception();
        }
    }
}
