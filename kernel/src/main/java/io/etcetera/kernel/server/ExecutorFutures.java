package io.etcetera.kernel.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * How the facades hand a kernel future to clients: continued on the response executor (never on
 * the apply thread that completed it), failed with the original exception rather than the
 * {@link CompletionException} around it. Stateless; thread-safe.
 */
final class ExecutorFutures {

    private ExecutorFutures() {
    }

    /**
     * A future completed on {@code executor} with {@code onSuccess} of {@code source}'s value, or
     * with {@code source}'s failure itself rather than the {@link CompletionException} around it.
     */
    static <S, T> CompletableFuture<T> onExecutor(CompletableFuture<S> source, Function<S, T> onSuccess,
            Executor executor) {
        CompletableFuture<T> result = new CompletableFuture<>();
        source.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            try {
                result.complete(onSuccess.apply(value));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, executor);
        return result;
    }

    /** {@code failure} without the {@link CompletionException} a dependent stage wraps it in. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
