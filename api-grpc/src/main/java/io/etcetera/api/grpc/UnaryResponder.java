package io.etcetera.api.grpc;

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
        CompletableFuture<T> future;
        try {
            future = Objects.requireNonNull(call.get(), "the service returned no future");
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenCompleteAsync((response, failure) -> {
            if (failure == null && response == null) {
                failure = new IllegalStateException("the service completed a request with no response");
            }
            if (failure != null) {
                observer.onError(GrpcStatuses.toStatusException(failure));
            } else {
                observer.onNext(response);
                observer.onCompleted();
            }
        }, responseExecutor);
    }
}
