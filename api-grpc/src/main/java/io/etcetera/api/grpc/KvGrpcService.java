package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.KVGrpc;
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
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/**
 * etcd's {@code etcdserverpb.KV} gRPC service: each RPC is handed to the kernel's
 * {@link KvService} unchanged, and its answer or error goes back to the client. Request
 * validation, response headers and errors such as {@code ErrCompacted} are the facade's; this
 * class only adapts the transport (etcd {@code etcdserver/api/v3rpc/key.go}). Answers are sent on
 * the thread that completes the facade's future ({@link UnaryResponder#replyOnCompletingThread}):
 * the kernel's KV facade never completes one on its Raft or apply thread. Thread-safe.
 */
final class KvGrpcService extends KVGrpc.KVImplBase {
    private final KvService kv;
    private final UnaryResponder responder;

    KvGrpcService(KvService kv, UnaryResponder responder) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
        responder.replyOnCompletingThread(() -> kv.range(request), observer);
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        responder.replyOnCompletingThread(() -> kv.put(request), observer);
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> observer) {
        responder.replyOnCompletingThread(() -> kv.deleteRange(request), observer);
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
        responder.replyOnCompletingThread(() -> kv.txn(request), observer);
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
        responder.replyOnCompletingThread(() -> kv.compact(request), observer);
    }
}
