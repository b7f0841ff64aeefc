/**
 * Raft as a pure state machine, shaped like etcd/raft: {@link io.etcetera.kernel.raft.RaftNode}
 * takes ticks, messages and proposals and hands back {@link io.etcetera.kernel.raft.Ready}s; it
 * does no I/O, reads no clock and starts no thread. Leaf packages hold the quorum math
 * ({@code quorum}) and the leader's per-member bookkeeping ({@code tracker}). See
 * {@code docs/design.md}, section 8.
 */
package io.etcetera.kernel.raft;
