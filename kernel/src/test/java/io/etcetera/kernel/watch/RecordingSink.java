package io.etcetera.kernel.watch;

import io.etcetera.kernel.Eventually;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.etcetera.spi.server.WatchSink;
import io.etcetera.spi.server.WatchStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WatchSink} that records what it is given, can pretend to be a stalled consumer
 * ({@link #stall()}/{@link #resume}), and checks that calls are never concurrent.
 */
final class RecordingSink implements WatchSink {

    private final List<WatchResponse> responses = new ArrayList<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private final AtomicBoolean concurrentCall = new AtomicBoolean();
    private volatile boolean ready = true;
    private volatile EtcdException error;

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void onResponse(WatchResponse response) {
        enter();
        try {
            synchronized (this) {
                responses.add(response);
            }
        } finally {
            inCall.decrementAndGet();
        }
    }

    @Override
    public void onError(EtcdException failure) {
        enter();
        error = failure;
        inCall.decrementAndGet();
    }

    private void enter() {
        if (inCall.incrementAndGet() != 1) {
            concurrentCall.set(true);
        }
    }

    void stall() {
        ready = false;
    }

    void resume(WatchStream stream) {
        ready = true;
        stream.sinkReady();
    }

    synchronized List<WatchResponse> responses() {
        return List.copyOf(responses);
    }

    /** Every event received for {@code watchId}, in order. */
    synchronized List<Event> events(long watchId) {
        List<Event> events = new ArrayList<>();
        for (WatchResponse response : responses) {
            if (response.getWatchId() == watchId) {
                events.addAll(response.getEventsList());
            }
        }
        return events;
    }

    EtcdException error() {
        return error;
    }

    boolean sawConcurrentCalls() {
        return concurrentCall.get();
    }

    /** Waits until {@code count} responses arrived; returns them. */
    List<WatchResponse> awaitResponses(int count) {
        Eventually.await(count + " watch responses (have " + responses().size() + ")", () -> responses().size() >= count);
        return responses();
    }

    /** Waits until {@code count} events arrived for {@code watchId}; returns them. */
    List<Event> awaitEvents(long watchId, int count) {
        Eventually.await(count + " events for watch " + watchId, () -> events(watchId).size() >= count);
        return events(watchId);
    }
}
