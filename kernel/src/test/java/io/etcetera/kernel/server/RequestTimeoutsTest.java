package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RequestTimeoutsTest {

    @Test
    void aRequestThatDoesNotCompleteTimesOut() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        RequestTimeouts.onTimeout(new CompletableFuture<Void>(), 20, fired::countDown);

        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void completedRequestsLeaveNoTimeoutBehind() throws InterruptedException {
        int before = RequestTimeouts.pending();
        AtomicBoolean fired = new AtomicBoolean();
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CompletableFuture<Void> request = new CompletableFuture<>();
            RequestTimeouts.onTimeout(request, 200, () -> fired.set(true));
            requests.add(request);
        }
        assertThat(RequestTimeouts.pending()).isGreaterThanOrEqualTo(before + 1000);

        requests.forEach(request -> request.complete(null));

        assertThat(RequestTimeouts.pending()).isLessThanOrEqualTo(before);
        // One timer thread runs timeouts in deadline order: once a later one fired, the
        // cancelled ones would have fired before it had they been left queued.
        CountDownLatch later = new CountDownLatch(1);
        RequestTimeouts.onTimeout(new CompletableFuture<Void>(), 250, later::countDown);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).isFalse();
    }
}
