package io.etcetera.kernel.concurrency;

import java.util.concurrent.CompletableFuture;

/** Passes a caller's cancellation on to the step it is waiting for. Stateless. */
final class Cancellation {

    private Cancellation() {
    }

    /** Cancels {@code step} when {@code result} is cancelled (also if it already is). */
    static void propagate(CompletableFuture<?> result, CompletableFuture<?> step) {
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                step.cancel(false);
            }
        });
    }
}
