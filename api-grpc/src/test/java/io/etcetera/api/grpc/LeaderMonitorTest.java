package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** etcd's {@code monitorLeader}: streams end after three checks in a row without a leader. */
class LeaderMonitorTest {

    @Test
    void runsOnlyOnceThreeChecksInARowFoundNoLeader() throws Exception {
        // no, no, leader (resets the count), then no leader from the fourth check on
        Queue<Boolean> answers = new ArrayDeque<>(List.of(false, false, true));
        AtomicInteger checks = new AtomicInteger();
        BooleanSupplier leaderKnown = () -> {
            checks.incrementAndGet();
            Boolean answer = answers.poll();
            return answer != null && answer;
        };
        CompletableFuture<Integer> ranAtCheck = new CompletableFuture<>();

        try (LeaderMonitor monitor = new LeaderMonitor(leaderKnown, 5, () -> ranAtCheck.complete(checks.get()))) {
            assertThat(ranAtCheck.get(10, TimeUnit.SECONDS)).isEqualTo(6);
        }
    }

    @Test
    void neverRunsWhileALeaderIsKnown() throws Exception {
        CountDownLatch tenChecks = new CountDownLatch(10);
        AtomicInteger runs = new AtomicInteger();
        BooleanSupplier alwaysALeader = () -> {
            tenChecks.countDown();
            return true;
        };

        try (LeaderMonitor monitor = new LeaderMonitor(alwaysALeader, 5, runs::incrementAndGet)) {
            assertThat(tenChecks.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(runs.get()).isZero();
    }
}
