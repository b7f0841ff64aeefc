package io.etcetera.dist.benchmark;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code clients} independent clients, each with one request in flight,
 * issuing the next request as soon as its previous one is answered, until {@code total} requests
 * have been issued. This is etcd's benchmark model ({@code --clients} goroutines reading one
 * request channel) without a goroutine per client: every client is a chain of asynchronous
 * gRPC calls.
 *
 * <p>Latency of a request: from just before {@link Request#issue} to the completion of its future.
 * Thread-safety: {@link #run} is called once, from one thread; completions arrive on gRPC threads.
 */
final class ClosedLoop {

    /** Issues request number {@code index} (0-based) for client number {@code client}. */
    @FunctionalInterface
    interface Request {
        /** Starts the request; the future completes with its response or fails with its error. */
        ListenableFuture<?> issue(int client, long index);
    }

    private final long total;
    private final Request request;
    private final LatencyRecorder recorder;
    private final AtomicLong nextIndex = new AtomicLong();
    private final CountDownLatch finished;

    /**
     * @param total requests to issue, at least 1
     * @param request what one request is
     * @param recorder receives every outcome
     */
    ClosedLoop(long total, Request request, LatencyRecorder recorder) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be at least 1: " + total);
        }
        this.total = total;
        this.request = request;
        this.recorder = recorder;
        this.finished = new CountDownLatch(Math.toIntExact(total));
    }

    /**
     * Runs the load with {@code clients} clients (at least 1) and returns the wall-clock time from
     * the first request to the last completion.
     *
     * @throws InterruptedException if interrupted while waiting (requests still in flight are left to the channel's shutdown)
     */
    Duration run(int clients) throws InterruptedException {
        long started = System.nanoTime();
        for (int client = 0; client < clients; client++) {
            issueNext(client);
        }
        finished.await();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void issueNext(int client) {
        while (true) {
            long index = nextIndex.getAndIncrement();
            if (index >= total) {
                return;
            }
            long started = System.nanoTime();
            ListenableFuture<?> response;
            try {
                response = request.issue(client, index);
            } catch (RuntimeException e) {
                complete(started, Futures.immediateFailedFuture(e));
                continue;
            }
            if (response.isDone()) {
                // Completed already (a failure before the call reached the wire): loop rather than
                // recurse through the listener, so a run of such failures cannot exhaust the stack.
                complete(started, response);
                continue;
            }
            response.addListener(() -> {
                complete(started, response);
                issueNext(client);
            }, MoreExecutors.directExecutor());
            return;
        }
    }

    private void complete(long started, ListenableFuture<?> response) {
        long elapsed = System.nanoTime() - started;
        try {
            Futures.getDone(response);
            recorder.recordSuccess(elapsed);
        } catch (ExecutionException e) {
            recorder.recordError(e.getCause());
        } catch (CancellationException e) {
            recorder.recordError(e);
        }
        finished.countDown();
    }
}
