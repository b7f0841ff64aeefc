/**
 * Raft as a pure state machine, shaped like etcd/raft: {@link io.etcetera.kernel.raft.RaftNode}
 * takes ticks and proposals and hands back {@link io.etcetera.kernel.raft.Ready}s; it does no
 * I/O, reads no clock and starts no thread. Single voter for now; multi-member Raft extends the
 * node without changing its driver's contract.
 */
package io.etcetera.kernel.raft;
