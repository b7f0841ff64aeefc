package io.etcetera.kernel.server;

import com.google.protobuf.Message;
import io.etcetera.kernel.apply.AppliedIndex;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.kernel.server.pb.RequestHeader;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a write into a Raft proposal and a future for its result (etcd's
 * {@code processInternalRaftRequestOnce}): stamps a unique request id, refuses the request when
 * its encoding exceeds {@code --max-request-bytes} or when apply lags commit too far, registers
 * the waiter, and queues the proposal. The future completes on the apply thread with the store's
 * response, or fails with the {@link EtcdException} the store raised.
 *
 * <p>Thread-safe.
 */
final class Proposer {

    /** etcd's {@code maxGapBetweenApplyAndCommitIndex}: more committed-unapplied entries refuse new writes. */
    static final long MAX_GAP_BETWEEN_APPLY_AND_COMMIT_INDEX = 5000;

    private final RaftLoop raft;
    private final Wait wait;
    private final AppliedIndex appliedIndex;
    private final RequestIdGenerator ids;
    private final long maxRequestBytes;
    private final long requestTimeoutMs;

    /**
     * A proposer whose proposals fail with {@link EtcdError#TIMEOUT} when not applied within
     * {@code requestTimeoutMs} (etcd's {@code ReqTimeout}: 5 s + 2 election timeouts), e.g. while
     * there is no leader or when a forwarded proposal was lost with a leader change.
     */
    Proposer(RaftLoop raft, Wait wait, AppliedIndex appliedIndex, RequestIdGenerator ids, long maxRequestBytes,
            long requestTimeoutMs) {
        this.raft = raft;
        this.wait = wait;
        this.appliedIndex = appliedIndex;
        this.ids = ids;
        this.maxRequestBytes = maxRequestBytes;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Proposes {@code request} (its header is overwritten).
     *
     * @return a future of the response; failed with {@link EtcdError#REQUEST_TOO_LARGE},
     *     {@link EtcdError#REQUEST_TOO_MANY_REQUESTS}, {@link EtcdError#STOPPED},
     *     {@link EtcdError#NO_LEADER}, {@link EtcdError#TIMEOUT} or the store's error
     */
    CompletableFuture<Message> propose(InternalRaftRequest.Builder request) {
        if (raft.commitIndex() > appliedIndex.get() + MAX_GAP_BETWEEN_APPLY_AND_COMMIT_INDEX) {
            return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_MANY_REQUESTS.exception());
        }
        long id = ids.next();
        byte[] data = request.setHeader(RequestHeader.newBuilder().setID(id)).build().toByteArray();
        if (data.length > maxRequestBytes) {
            return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_LARGE.exception());
        }
        CompletableFuture<Message> response = wait.register(id);
        try {
            raft.propose(id, data);
            RequestTimeouts.onTimeout(response, requestTimeoutMs, () -> wait.fail(id, EtcdError.TIMEOUT.exception()));
        } catch (EtcdException e) {
            wait.fail(id, e);
        }
        return response;
    }
}
