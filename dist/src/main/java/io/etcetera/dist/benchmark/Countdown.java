package io.etcetera.dist.benchmark;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits for {@code count} events that arrive on other threads, or for the first failure of their
 * source, with a deadline. Thread-safety: {@link #countDown} and {@link #fail} from any thread.
 */
final class Countdown {

    private final AtomicInteger remaining;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** A countdown of {@code count} (at least 1) events. */
    Countdown(int count) {
        remaining = new AtomicInteger(count);
    }

    /** One event arrived. */
    void countDown() {
        if (remaining.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    /** The source failed: {@link #await} throws with {@code cause}. */
    void fail(Throwable cause) {
        done.completeExceptionally(cause);
    }

    /** Events still awaited. */
    int remaining() {
        return Math.max(0, remaining.get());
    }

    /**
     * Waits until every event arrived (true) or {@code timeout} passed (false).
     *
     * @throws ExecutionException carrying the cause given to {@link #fail}
     */
    boolean await(Duration timeout) throws InterruptedException, ExecutionException {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
