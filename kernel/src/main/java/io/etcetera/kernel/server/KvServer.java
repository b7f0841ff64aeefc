package io.etcetera.kernel.server;

import com.google.protobuf.Message;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.CompactionResponse;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.server.KvService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The kernel's {@link KvService}: etcd's {@code v3rpc.kvServer} and {@code EtcdServer}'s KV
 * methods in one. Each request is first validated as etcd's gRPC layer does
 * ({@link RequestValidator}); then
 * <ul>
 *   <li>a serializable range reads the local store at once, on the caller's thread;
 *   <li>a linearizable range takes a Raft ReadIndex and waits until the applied index reaches
 *       it ({@link LinearizableReads}; on any member), then reads the store on the executor;
 *   <li>a txn that only reads is served like a range, serializable when all its ranges are;
 *   <li>put, delete range, any other txn and compaction are proposed through Raft and answered
 *       when their entry is applied.
 * </ul>
 * Responses get their top-level header stamped ({@link ResponseHeaders}). Futures of proposed and
 * linearizable requests complete on the executor; the member passes one that runs a write's
 * continuation on the apply thread only when nothing is queued behind it
 * ({@link io.etcetera.kernel.apply.ApplyLoop#inlineWhenIdle}), so under load a front end's
 * continuation cannot stall applying, and a lone write saves a thread wake-up. Futures fail with the
 * {@link EtcdException} itself, never wrapped in a {@link CompletionException}.
 *
 * <p>Thread-safe.
 */
public final class KvServer implements KvService {

    private final MvccStore mvcc;
    private final Proposer proposer;
    private final LinearizableReads reads;
    private final ResponseHeaders headers;
    private final int maxTxnOps;
    private final Executor executor;

    KvServer(MvccStore mvcc, Proposer proposer, LinearizableReads reads, ResponseHeaders headers,
            int maxTxnOps, Executor executor) {
        this.mvcc = mvcc;
        this.proposer = proposer;
        this.reads = reads;
        this.headers = headers;
        this.maxTxnOps = maxTxnOps;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        try {
            RequestValidator.checkRange(request);
            if (request.getSerializable()) {
                return CompletableFuture.completedFuture(readRange(request));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onExecutor(reads.barrier(), ignored -> readRange(request));
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        return write(() -> RequestValidator.checkPut(request), InternalRaftRequest.newBuilder().setPut(request),
                PutResponse.class);
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return write(() -> RequestValidator.checkDelete(request),
                InternalRaftRequest.newBuilder().setDeleteRange(request), DeleteRangeResponse.class);
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        try {
            RequestValidator.checkTxn(request, maxTxnOps);
            if (MvccStore.isReadOnly(request) && isSerializable(request)) {
                return CompletableFuture.completedFuture(readTxn(request));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (MvccStore.isReadOnly(request)) {
            return onExecutor(reads.barrier(), ignored -> readTxn(request));
        }
        return write(() -> { }, InternalRaftRequest.newBuilder().setTxn(request), TxnResponse.class);
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return write(() -> { }, InternalRaftRequest.newBuilder().setCompaction(request), CompactionResponse.class);
    }

    private TxnResponse readTxn(TxnRequest request) {
        return headers.stampResponse(mvcc.readOnlyTxn(request));
    }

    /** etcd's {@code isTxnSerializable}: every op of both branches is a serializable range. */
    private static boolean isSerializable(TxnRequest request) {
        return Stream.concat(request.getSuccessList().stream(), request.getFailureList().stream())
                .allMatch(op -> op.hasRequestRange() && op.getRequestRange().getSerializable());
    }

    private RangeResponse readRange(RangeRequest request) {
        return headers.stampResponse(mvcc.range(request));
    }

    /**
     * Validates, proposes {@code request} through Raft and answers with the applied entry's
     * response (of {@code responseType}) with its header stamped.
     */
    private <T extends Message> CompletableFuture<T> write(
            Runnable validation, InternalRaftRequest.Builder request, Class<T> responseType) {
        try {
            validation.run();
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return onExecutor(proposer.propose(request), response -> headers.stampResponse(responseType.cast(response)));
    }

    private <S, T> CompletableFuture<T> onExecutor(CompletableFuture<S> source, Function<S, T> onSuccess) {
        return ExecutorFutures.onExecutor(source, onSuccess, executor);
    }
}
