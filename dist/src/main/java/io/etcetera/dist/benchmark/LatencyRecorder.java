package io.etcetera.dist.benchmark;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Collects the outcome of every request of one run: latencies of the successful ones (an
 * auto-resizing HdrHistogram, nanoseconds, 3 significant digits) and the failed ones by error
 * text, as etcd's report does ({@code rpc error: code = Unavailable desc = ...}).
 *
 * <p>Thread-safe: gRPC callback threads record concurrently; {@link #completed()} is read by the
 * progress bar while they do.
 */
final class LatencyRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram latencies = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();

    /** Records a successful request that took {@code nanos} (clamped at 0). */
    void recordSuccess(long nanos) {
        latencies.recordValue(Math.max(0, nanos));
        completed.incrementAndGet();
    }

    /** Records a failed request, counted under {@link #describe(Throwable)} of {@code error}. */
    void recordError(Throwable error) {
        recordError(describe(error));
    }

    /** Records a failed request under {@code message}. */
    void recordError(String message) {
        errors.computeIfAbsent(message, key -> new LongAdder()).increment();
        completed.incrementAndGet();
    }

    /** Requests finished so far, successful or not. */
    long completed() {
        return completed.get();
    }

    /** A report of everything recorded, for a run that took {@code total}; call after the run. */
    Report report(String operation, Duration total) {
        Map<String, Long> errorCounts = errors.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().sum()));
        return new Report(operation, total, latencies.copy(), errorCounts);
    }

    /**
     * An error as grpc-go prints it, so etcd's and etcetera's errors read alike:
     * {@code rpc error: code = <CODE> desc = <description>} for a gRPC status, else the message.
     */
    static String describe(Throwable error) {
        Status status = Status.fromThrowable(error);
        if (status.getCode() != Status.Code.UNKNOWN || status.getCause() == null) {
            return "rpc error: code = " + status.getCode() + " desc = " + status.getDescription();
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }
}
