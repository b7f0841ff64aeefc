package io.etcetera.kernel.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppliedIndexTest {

    @Test
    void waitersAreReleasedWhenTheAppliedIndexReachesTheirIndex() {
        AppliedIndex applied = new AppliedIndex(5);
        CompletableFuture<Void> reached = applied.await(5);
        CompletableFuture<Void> at7 = applied.await(7);
        CompletableFuture<Void> at9 = applied.await(9);

        applied.advanceTo(8);

        assertThat(reached).isDone();
        assertThat(at7).isCompleted();
        assertThat(at9).isNotDone();
    }

    @Test
    void theAppliedIndexNeverGoesBack() {
        AppliedIndex applied = new AppliedIndex(5);

        assertThatThrownBy(() -> applied.advanceTo(4)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopFailsWaitersWithServerStopped() {
        AppliedIndex applied = new AppliedIndex(0);
        CompletableFuture<Void> waiting = applied.await(3);

        applied.stop();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(applied.await(4)).isCompletedExceptionally();
        assertThat(applied.await(0)).as("already reached").isCompleted();
    }
}
