package io.etcetera.api.grpc;

import com.google.protobuf.Message;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link KvService} test double: records every request it receives and answers each with the
 * scripted future (whatever its type: a mismatch shows up as a failed call in the test).
 */
final class RecordingKvService implements KvService {
    private final List<Message> requests = new CopyOnWriteArrayList<>();
    private volatile Supplier<CompletableFuture<?>> answer =
            () -> CompletableFuture.failedFuture(new AssertionError("no answer scripted"));

    /** Answers every following request with {@code response}. */
    void answer(Message response) {
        answer = () -> CompletableFuture.completedFuture(response);
    }

    /** Answers every following request by calling {@code answer} (which may throw). */
    void answerWith(Supplier<CompletableFuture<?>> answer) {
        this.answer = answer;
    }

    /** The requests received so far, in arrival order. */
    List<Message> requests() {
        return List.copyOf(requests);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> record(Message request) {
        requests.add(request);
        return (CompletableFuture<T>) answer.get();
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        return record(request);
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        return record(request);
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return record(request);
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return record(request);
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return record(request);
    }
}
