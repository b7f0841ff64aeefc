package io.etcetera.kernel.raft;

/**
 * State that is useful to know but need not be persisted (etcd/raft's {@code SoftState}).
 *
 * @param lead the known leader's id, {@link RaftNode#NONE} if none
 * @param state this node's role
 */
public record SoftState(long lead, StateType state) {
}
