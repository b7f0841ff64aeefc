package io.etcetera.api.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Answers a unary gRPC call from a kernel facade's {@link CompletableFuture}: one response then
 * completion, or one error status mapped by {@link GrpcStatuses}.
 *
 * <p>The observer is called on {@code responseExecutor}, never on the thread that completes the
 * future: that thread is the kernel's (the apply loop for writes) and must not spend time
 * serialising responses. Each call's observer is touched by exactly one task, so the observer's
 * lack of thread-safety is respected. Thread-safe.
 */
final class UnaryResponder {
    private final Executor responseExecutor;

    UnaryResponder(Executor responseExecutor) {
        this.responseExecutor = Objects.requireNonNull(responseExecutor, "responseExecutor");
    }

    /**
     * Starts {@code call} and answers {@code observer} when its future completes. A facade that
     * throws instead of returning a failed future, or returns {@code null}, is answered the same
     * way as a failed future.
     */
    <T> void reply(Supplier<CompletableFuture<T>> call, StreamObserver<T> observer) {
        answer(start(call), observer);
    }

    /**
     * As {@link #reply}, but answers on the thread that completes the future, saving one thread
     * hand-off per call. Only for facades whose futures complete where a short, non-blocking
     * answer may run: the kernel's KV facade ({@code kernel.server.KvServer}) completes writes and
     * linearizable reads on its response executor (or, for a write nothing is queued behind, on
     * the apply thread) and serializable reads on the calling thread (this gRPC call's).
     */
    <T> void replyOnCompletingThread(Supplier<CompletableFuture<T>> call, StreamObserver<T> observer) {
        start(call).whenComplete((response, failure) -> respond(observer, response, failure));
    }

    /**
     * As {@link #reply}, for a call that may wait long (a lock, a campaign): when the client
     * cancels the call or its deadline passes, the facade's future is cancelled, so the kernel
     * stops waiting and undoes what it did for the call.
     */
    <T> void replyCancellable(Supplier<CompletableFuture<T>> call, StreamObserver<T> observer) {
        ServerCallStreamObserver<T> serverCall = (ServerCallStreamObserver<T>) observer;
        CompletableFuture<T> future = start(call);
        serverCall.setOnCancelHandler(() -> future.cancel(false));
        answer(future, serverCall);
    }

    private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> call) {
        try {
            return Objects.requireNonNull(call.get(), "the service returned no future");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> void answer(CompletableFuture<T> future, StreamObserver<T> observer) {
        future.whenCompleteAsync((response, failure) -> respond(observer, response, failure), responseExecutor);
    }

    private static <T> void respond(StreamObserver<T> observer, T response, Throwable failure) {
        if (observer instanceof ServerCallStreamObserver<T> serverCall && serverCall.isCancelled()) {
            return;
        }
        if (failure == null && response == null) {
            failure = new IllegalStateException("the service completed a request with no response");
        }
        if (failure != null) {
            observer.onError(GrpcStatuses.toStatusException(failure));
        } else {
            observer.onNext(response);
            observer.onCompleted();
        }
    }
}
