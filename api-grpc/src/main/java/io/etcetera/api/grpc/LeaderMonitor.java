package io.etcetera.api.grpc;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * etcd 3.4's {@code monitorLeader} ({@code etcdserver/api/v3rpc/interceptor.go}): every election
 * timeout it asks whether the member knows a leader, and once {@value #MAX_NO_LEADER_CHECKS}
 * checks in a row found none it runs {@code onNoLeader} (ending the streams that require a
 * leader), again at every later check until a leader is known. Reconnecting a stream costs more
 * than refusing new calls, hence the patience.
 *
 * <p>One daemon thread; {@link #close()} stops it. Thread-safe.
 */
final class LeaderMonitor implements AutoCloseable {

    /** etcd's {@code maxNoLeaderCnt}. */
    static final int MAX_NO_LEADER_CHECKS = 3;

    private final BooleanSupplier leaderKnown;
    private final Runnable onNoLeader;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("etcetera-grpc-leader-monitor", true));
    /** Checks in a row without a leader; touched by the timer thread only. */
    private int checksWithoutLeader;

    /** Checks {@code leaderKnown} every {@code periodMs} ms (the election timeout) from now on. */
    LeaderMonitor(BooleanSupplier leaderKnown, long periodMs, Runnable onNoLeader) {
        this.leaderKnown = leaderKnown;
        this.onNoLeader = onNoLeader;
        timer.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (leaderKnown.getAsBoolean()) {
            checksWithoutLeader = 0;
        } else if (++checksWithoutLeader >= MAX_NO_LEADER_CHECKS) {
            onNoLeader.run();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
