package io.etcetera.kernel.raft;

import com.google.protobuf.ByteString;

/**
 * The answer to a {@link RaftNode#readIndex ReadIndex} request (etcd/raft's {@code ReadState}):
 * a read with {@code requestCtx} is linearizable once the local state machine applied
 * {@code index}.
 *
 * @param index the leader's commit index when the request arrived, confirmed by a quorum
 * @param requestCtx the caller's request context, unchanged
 */
public record ReadState(long index, ByteString requestCtx) {
}
