package io.etcetera.kernel.raft;

/**
 * A proposal was refused because this node is not the leader (etcd/raft's
 * {@code ErrProposalDropped}); the caller decides whether to retry or fail the request.
 */
public final class ProposalDroppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProposalDroppedException(String message) {
        super(message);
    }
}
