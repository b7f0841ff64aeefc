package io.etcetera.kernel.server;

import io.etcetera.kernel.apply.AppliedIndex;
import io.etcetera.spi.error.EtcdError;
import java.util.concurrent.CompletableFuture;

/**
 * The barrier before a linearizable read (etcd's {@code linearizableReadNotify}): ask Raft for a
 * ReadIndex (the leader's commit index confirmed by a quorum; a follower asks the leader), then
 * wait until this member applied up to it. Works on every member, leader or follower.
 *
 * <p>Without a leader, or when leadership changes while the ReadIndex round is in flight, the
 * barrier fails after the request timeout with {@link EtcdError#TIMEOUT}
 * ({@code etcdserver: request timed out}). Thread-safe.
 */
final class LinearizableReads {

    private final RaftLoop raft;
    private final AppliedIndex appliedIndex;
    private final long requestTimeoutMs;

    LinearizableReads(RaftLoop raft, AppliedIndex appliedIndex, long requestTimeoutMs) {
        this.raft = raft;
        this.appliedIndex = appliedIndex;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Completes once a read of the local state is linearizable; fails as described above. */
    CompletableFuture<Void> barrier() {
        CompletableFuture<Long> readIndex = raft.readIndex();
        if (!readIndex.isDone()) {
            RequestTimeouts.onTimeout(readIndex, requestTimeoutMs,
                    () -> readIndex.completeExceptionally(EtcdError.TIMEOUT.exception()));
        }
        return readIndex.thenCompose(appliedIndex::await);
    }
}
