package io.etcetera.dist.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    @Test
    void issuesExactlyTotalRequestsWithAtMostClientsInFlight() throws Exception {
        ListeningExecutorService server = MoreExecutors.listeningDecorator(Executors.newFixedThreadPool(8));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        LatencyRecorder recorder = new LatencyRecorder();
        try {
            Duration total = new ClosedLoop(1000, (client, index) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                return server.submit(() -> {
                    inFlight.decrementAndGet();
                    if (index % 100 == 0) {
                        throw Status.UNAVAILABLE.withDescription("no leader").asRuntimeException();
                    }
                    return index;
                });
            }, recorder).run(4);
            Report report = recorder.report("put", total);
            assertThat(report.successes()).isEqualTo(990);
            assertThat(report.errors()).containsExactly(java.util.Map.entry("rpc error: code = UNAVAILABLE desc = no leader", 10L));
            assertThat(maxInFlight.get()).isBetween(1, 4);
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void requestsThatFailAtOnceDoNotExhaustTheStack() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        ListenableFuture<Object> failed = Futures.immediateFailedFuture(new IllegalStateException("refused"));
        new ClosedLoop(100_000, (client, index) -> failed, recorder).run(2);
        assertThat(recorder.completed()).isEqualTo(100_000);
        assertThat(recorder.report("put", Duration.ofSeconds(1)).failures()).isEqualTo(100_000);
    }
}
