package io.etcetera.dist.benchmark;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the watch benchmark ({@link WatchBenchmark}).
 *
 * <p>Steps: read the key's current revision (KV.Range); open {@code streams} Watch streams over
 * the connections and create {@code watchersPerStream} watchers on each, waiting for every
 * {@code created} answer; then, for each put, note the time, Put, and wait (up to
 * {@code eventTimeout}) until every watcher has received the put's event. An event belongs to the
 * put in flight when its {@code mod_revision} is above the previous put's revision, so a late
 * event of a put that timed out is not counted twice. Missing events count as errors.
 *
 * <p>Fails the run ({@link BenchmarkException}) if a watcher cannot be created (for instance the
 * server answers {@code UNIMPLEMENTED}) or a stream breaks. Used once, from the command's thread;
 * events arrive on the channels' event loops.
 */
final class WatchLatency {

    /** The put in flight: when it was issued, the lowest revision its event can have, and its watchers still waiting. */
    private record Pending(long issuedNanos, long minModRevision, Countdown delivered) {
    }

    private final int putTotal;
    private final int putRate;
    private final int streams;
    private final int watchersPerStream;
    private final int keySize;
    private final int valSize;
    private final Duration eventTimeout;
    private final AtomicReference<Pending> inFlight = new AtomicReference<>();
    private final AtomicReference<Throwable> streamFailure = new AtomicReference<>();

    /**
     * @param putTotal puts, at least 1
     * @param putRate puts a second, 0 for unpaced
     * @param streams watch streams, at least 1
     * @param watchersPerStream watchers on each stream, at least 1
     * @param keySize bytes of the random key
     * @param valSize bytes of the random value
     * @param eventTimeout longest wait for watcher creation and for each put's events
     */
    WatchLatency(int putTotal, int putRate, int streams, int watchersPerStream, int keySize, int valSize, Duration eventTimeout) {
        this.putTotal = putTotal;
        this.putRate = putRate;
        this.streams = streams;
        this.watchersPerStream = watchersPerStream;
        this.keySize = keySize;
        this.valSize = valSize;
        this.eventTimeout = eventTimeout;
    }

    /** Runs the benchmark; returns the wall-clock time of the put phase. */
    Duration run(Connections connections, LatencyRecorder recorder) throws BenchmarkException, InterruptedException {
        ByteString key = randomBytes(keySize);
        ByteString value = randomBytes(valSize);
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(connections.channel(0));
        long revision;
        try {
            revision = kv.withDeadlineAfter(eventTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .range(RangeRequest.newBuilder().setKey(key).setCountOnly(true).build()).getHeader().getRevision();
        } catch (StatusRuntimeException e) {
            throw new BenchmarkException("cannot read the current revision: " + LatencyRecorder.describe(e));
        }
        int watchers = streams * watchersPerStream;
        Countdown created = new Countdown(watchers);
        List<StreamObserver<WatchRequest>> requestStreams = new ArrayList<>();
        try {
            for (int s = 0; s < streams; s++) {
                StreamObserver<WatchRequest> requests = WatchGrpc.newStub(connections.channel(s)).watch(new Watchers(created, recorder));
                requestStreams.add(requests);
                for (int w = 0; w < watchersPerStream; w++) {
                    requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(key)).build());
                }
            }
            awaitOrFail(created, "cannot create " + watchers + " watchers");
            return putAndMeasure(kv, key, value, revision, watchers, recorder);
        } finally {
            requestStreams.forEach(StreamObserver::onCompleted);
        }
    }

    private Duration putAndMeasure(KVGrpc.KVBlockingStub kv, ByteString key, ByteString value, long revision, int watchers,
            LatencyRecorder recorder) throws BenchmarkException, InterruptedException {
        long started = System.nanoTime();
        long minModRevision = revision + 1;
        for (int i = 0; i < putTotal; i++) {
            pace(started, i);
            Throwable failure = streamFailure.get();
            if (failure != null) {
                throw new BenchmarkException("watch stream failed after " + i + " puts: " + LatencyRecorder.describe(failure));
            }
            Pending pending = new Pending(System.nanoTime(), minModRevision, new Countdown(watchers));
            inFlight.set(pending);
            try {
                PutResponse put = kv.withDeadlineAfter(eventTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .put(PutRequest.newBuilder().setKey(key).setValue(value).build());
                minModRevision = put.getHeader().getRevision() + 1;
            } catch (StatusRuntimeException e) {
                for (int w = 0; w < watchers; w++) {
                    recorder.recordError(e);
                }
                continue;
            }
            if (!awaitOrFail(pending.delivered(), "watch stream failed after " + i + " puts")) {
                for (int missing = pending.delivered().remaining(); missing > 0; missing--) {
                    recorder.recordError("watch event not delivered within " + eventTimeout.toMillis() + " ms");
                }
            }
        }
        inFlight.set(null);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** True when every event arrived in time, false on timeout. */
    private boolean awaitOrFail(Countdown countdown, String failure) throws BenchmarkException, InterruptedException {
        try {
            return countdown.await(eventTimeout);
        } catch (ExecutionException e) {
            throw new BenchmarkException(failure + ": " + LatencyRecorder.describe(e.getCause()));
        }
    }

    /** With a put rate, waits until put {@code i}'s slot: {@code started + i / putRate} seconds. */
    private void pace(long started, int i) throws InterruptedException {
        if (putRate == 0) {
            return;
        }
        long slot = started + i * TimeUnit.SECONDS.toNanos(1) / putRate;
        for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static ByteString randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    /** The responses of one watch stream (its watchers share it). Runs on the channel's event loop. */
    private final class Watchers implements StreamObserver<WatchResponse> {
        private final Countdown created;
        private final LatencyRecorder recorder;

        Watchers(Countdown created, LatencyRecorder recorder) {
            this.created = created;
            this.recorder = recorder;
        }

        @Override
        public void onNext(WatchResponse response) {
            long received = System.nanoTime();
            if (response.getCanceled()) {
                failAll(new IllegalStateException("watch " + response.getWatchId() + " canceled: " + response.getCancelReason()));
                return;
            }
            if (response.getCreated()) {
                created.countDown();
            }
            Pending pending = inFlight.get();
            for (Event event : response.getEventsList()) {
                if (pending != null && event.getType() == Event.EventType.PUT
                        && event.getKv().getModRevision() >= pending.minModRevision()) {
                    recorder.recordSuccess(received - pending.issuedNanos());
                    pending.delivered().countDown();
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            failAll(error);
        }

        @Override
        public void onCompleted() {
            failAll(new IllegalStateException("watch stream closed by the server"));
        }

        private void failAll(Throwable error) {
            streamFailure.compareAndSet(null, error);
            created.fail(error);
            Pending pending = inFlight.get();
            if (pending != null) {
                pending.delivered().fail(error);
            }
        }
    }
}
