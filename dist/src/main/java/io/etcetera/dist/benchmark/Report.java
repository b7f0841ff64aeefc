package io.etcetera.dist.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The result of one benchmark run, printed in the shape of etcd's {@code tools/benchmark} report
 * ({@code pkg/report/report.go}: Summary, response time histogram, latency distribution, error
 * distribution) or as one JSON object for scripts.
 *
 * <p>Latencies are in nanoseconds in {@code latencies} (HdrHistogram, 3 significant digits, so
 * every figure is exact to 0.1%); the report prints seconds, as etcd does. Percentiles are
 * HdrHistogram's {@code getValueAtPercentile}. Requests/sec counts successful requests over the
 * wall-clock {@code total}, as etcd's. Immutable once built; the histogram is owned by the report
 * and must not be changed after construction.
 *
 * @param operation what was measured ({@code put}, {@code range}, ...), for the JSON output
 * @param total wall-clock time of the run, from the first request to the last response
 * @param latencies successful request latencies, nanoseconds
 * @param errors failed requests by error text, as etcd's "Error distribution"
 */
public record Report(String operation, Duration total, Histogram latencies, Map<String, Long> errors) {

    /** The percentiles printed, as etcd's {@code pctls}, plus the maximum. */
    static final List<Double> PERCENTILES = List.of(10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9);

    private static final int HISTOGRAM_BUCKETS = 10;
    private static final int HISTOGRAM_BAR_WIDTH = 40;
    private static final double NANOS_PER_SECOND = 1e9;

    public Report {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(latencies, "latencies");
        errors = Map.copyOf(errors);
    }

    /** Successful requests. */
    public long successes() {
        return latencies.getTotalCount();
    }

    /** Failed requests. */
    public long failures() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful requests per second of wall-clock time; 0 for an empty run. */
    public double requestsPerSecond() {
        double seconds = total.toNanos() / NANOS_PER_SECOND;
        return seconds > 0 ? successes() / seconds : 0;
    }

    /** The latency at {@code percentile} (0..100), in seconds; 0 if nothing succeeded. */
    public double percentileSeconds(double percentile) {
        return seconds(latencies.getValueAtPercentile(percentile));
    }

    /** The report as etcd's benchmark prints it (text, ends with a newline). */
    public String toText() {
        StringBuilder text = new StringBuilder();
        if (successes() > 0) {
            text.append("\nSummary:\n");
            text.append(line("  Total:\t%.4f secs.", seconds(total.toNanos())));
            text.append(line("  Slowest:\t%.4f secs.", seconds(latencies.getMaxValue())));
            text.append(line("  Fastest:\t%.4f secs.", seconds(latencies.getMinValue())));
            text.append(line("  Average:\t%.4f secs.", latencies.getMean() / NANOS_PER_SECOND));
            text.append(line("  Stddev:\t%.4f secs.", latencies.getStdDeviation() / NANOS_PER_SECOND));
            text.append(line("  Requests/sec:\t%.4f", requestsPerSecond()));
            text.append(histogramText());
            text.append("\nLatency distribution:\n");
            for (double percentile : PERCENTILES) {
                text.append(line("  %s%% in %.4f secs.", label(percentile), percentileSeconds(percentile)));
            }
            text.append(line("  100%% in %.4f secs. (max)", seconds(latencies.getMaxValue())));
        } else {
            text.append(line("\nSummary:\n  Total:\t%.4f secs.\n  No request succeeded.", seconds(total.toNanos())));
        }
        if (!errors.isEmpty()) {
            text.append("\nError distribution:\n");
            new TreeMap<>(errors).forEach((error, count) -> text.append("  [").append(count).append("]\t").append(error).append('\n'));
        }
        return text.toString();
    }

    /**
     * The report as one line of JSON: {@code operation}, {@code total_seconds}, {@code requests}
     * (successful), {@code errors} (failed), {@code requests_per_second}, {@code latency_seconds}
     * ({@code fastest}, {@code slowest}, {@code average}, {@code stddev}, {@code p10} ...
     * {@code p99.9}, {@code max}) and {@code error_distribution} (text to count).
     */
    public String toJson() {
        List<String> latency = new ArrayList<>();
        latency.add(field("fastest", seconds(latencies.getMinValue())));
        latency.add(field("slowest", seconds(latencies.getMaxValue())));
        latency.add(field("average", successes() > 0 ? latencies.getMean() / NANOS_PER_SECOND : 0));
        latency.add(field("stddev", successes() > 0 ? latencies.getStdDeviation() / NANOS_PER_SECOND : 0));
        for (double percentile : PERCENTILES) {
            latency.add(field("p" + label(percentile), percentileSeconds(percentile)));
        }
        latency.add(field("max", seconds(latencies.getMaxValue())));
        List<String> errorFields = new ArrayList<>();
        new TreeMap<>(errors).forEach((error, count) -> errorFields.add(Json.string(error) + ":" + count));
        return "{" + Json.string("operation") + ":" + Json.string(operation)
                + "," + field("total_seconds", seconds(total.toNanos()))
                + "," + Json.string("requests") + ":" + successes()
                + "," + Json.string("errors") + ":" + failures()
                + "," + field("requests_per_second", requestsPerSecond())
                + "," + Json.string("latency_seconds") + ":{" + String.join(",", latency) + "}"
                + "," + Json.string("error_distribution") + ":{" + String.join(",", errorFields) + "}"
                + "}\n";
    }

    /** etcd's "Response time histogram": 10 equal buckets from fastest to slowest, bars scaled to 40. */
    private String histogramText() {
        long fastest = latencies.getMinValue();
        long slowest = latencies.getMaxValue();
        double width = (slowest - fastest) / (double) HISTOGRAM_BUCKETS;
        double[] bounds = new double[HISTOGRAM_BUCKETS + 1];
        for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
            bounds[i] = fastest + width * i;
        }
        bounds[HISTOGRAM_BUCKETS] = slowest;
        long[] counts = new long[bounds.length];
        int bucket = 0;
        for (HistogramIterationValue value : latencies.recordedValues()) {
            long nanos = latencies.lowestEquivalentValue(value.getValueIteratedTo());
            while (bucket < bounds.length - 1 && Math.min(nanos, slowest) > bounds[bucket]) {
                bucket++;
            }
            counts[bucket] += value.getCountAtValueIteratedTo();
        }
        long max = 0;
        for (long count : counts) {
            max = Math.max(max, count);
        }
        StringBuilder text = new StringBuilder("\nResponse time histogram:\n");
        for (int i = 0; i < bounds.length; i++) {
            int bar = max > 0 ? (int) (counts[i] * HISTOGRAM_BAR_WIDTH / max) : 0;
            text.append(line("  %.4f [%d]\t|%s", bounds[i] / NANOS_PER_SECOND, counts[i], "∎".repeat(bar)));
        }
        return text.toString();
    }

    private static String line(String format, Object... args) {
        return String.format(Locale.ROOT, format, args) + "\n";
    }

    private static String field(String name, double value) {
        return Json.string(name) + ":" + String.format(Locale.ROOT, "%.9f", value);
    }

    /** {@code 10}, {@code 99.9}: a percentile as etcd prints it. */
    static String label(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }

    private static double seconds(long nanos) {
        return nanos / NANOS_PER_SECOND;
    }

    /** The few JSON rules the report needs. */
    static final class Json {
        private Json() {
        }

        /** {@code text} as a JSON string literal (quotes, backslashes and control characters escaped). */
        static String string(String text) {
            StringBuilder json = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            json.append(c);
                        }
                    }
                }
            }
            return json.append('"').toString();
        }
    }
}
