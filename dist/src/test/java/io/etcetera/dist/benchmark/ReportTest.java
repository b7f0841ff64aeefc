package io.etcetera.dist.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** 1..1000 ms, one request each: percentile p is p * 10 ms (to HdrHistogram's 0.1%). */
    private static Report oneToAThousandMillis(Map<String, Long> errors) {
        Histogram latencies = new Histogram(3);
        for (long millis = 1; millis <= 1000; millis++) {
            latencies.recordValue(millis * 1_000_000);
        }
        return new Report("put", Duration.ofSeconds(2), latencies, errors);
    }

    @Test
    void percentilesComeFromTheHistogram() {
        Report report = oneToAThousandMillis(Map.of());
        assertThat(report.percentileSeconds(10)).isCloseTo(0.100, within(0.0002));
        assertThat(report.percentileSeconds(50)).isCloseTo(0.500, within(0.0005));
        assertThat(report.percentileSeconds(90)).isCloseTo(0.900, within(0.001));
        assertThat(report.percentileSeconds(99)).isCloseTo(0.990, within(0.001));
        assertThat(report.percentileSeconds(99.9)).isCloseTo(0.999, within(0.001));
        assertThat(report.successes()).isEqualTo(1000);
        assertThat(report.requestsPerSecond()).isEqualTo(500.0);
    }

    @Test
    void textHasEtcdsSections() {
        String text = oneToAThousandMillis(Map.of()).toText();
        assertThat(text).contains("\nSummary:\n", "  Total:\t2.0000 secs.\n", "  Requests/sec:\t500.0000\n",
                "\nResponse time histogram:\n", "\nLatency distribution:\n");
        assertThat(text).containsPattern("  Slowest:\t1\\.000\\d secs\\.\n");
        assertThat(text).containsPattern("  Fastest:\t0\\.0010 secs\\.\n");
        assertThat(text).containsPattern("  Average:\t0\\.500\\d secs\\.\n");
        assertThat(text).containsPattern("  Stddev:\t0\\.288\\d secs\\.\n");
        assertThat(text).containsPattern("  10% in 0\\.1000 secs\\.\n");
        assertThat(text).containsPattern("  50% in 0\\.500\\d secs\\.\n");
        assertThat(text).containsPattern("  99\\.9% in 0\\.999\\d secs\\.\n");
        assertThat(text).containsPattern("  100% in 1\\.000\\d secs\\. \\(max\\)\n");
        assertThat(text).doesNotContain("Error distribution");
    }

    @Test
    void histogramBucketsCountEveryRequestOnce() {
        String text = oneToAThousandMillis(Map.of()).toText();
        String histogram = text.substring(text.indexOf("Response time histogram:"), text.indexOf("Latency distribution:"));
        long counted = histogram.lines().filter(line -> line.contains("["))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf('[') + 1, line.indexOf(']')))).sum();
        assertThat(counted).isEqualTo(1000);
        assertThat(histogram).contains("  0.0010 [1]\t|\n");
    }

    @Test
    void errorsAreListedWithTheirCounts() {
        Report report = oneToAThousandMillis(Map.of("rpc error: code = UNAVAILABLE desc = io exception", 3L));
        assertThat(report.failures()).isEqualTo(3);
        assertThat(report.toText()).endsWith("\nError distribution:\n  [3]\trpc error: code = UNAVAILABLE desc = io exception\n");
    }

    @Test
    void jsonIsOneLineWithSecondsAndPercentiles() {
        String json = oneToAThousandMillis(Map.of("a \"quoted\" error", 2L)).toJson();
        assertThat(json).startsWith("{\"operation\":\"put\",\"total_seconds\":2.000000000,\"requests\":1000,\"errors\":2,"
                + "\"requests_per_second\":500.000000000,\"latency_seconds\":{\"fastest\":0.00099");
        assertThat(json).contains("\"p10\":0.1", "\"p99.9\":0.99", "\"max\":1.000");
        assertThat(json).endsWith(",\"error_distribution\":{\"a \\\"quoted\\\" error\":2}}\n");
        assertThat(json.lines()).hasSize(1);
    }

    @Test
    void anEmptyRunSaysNothingSucceeded() {
        Report report = new Report("watch", Duration.ofMillis(5), new Histogram(3), Map.of("rpc error: code = UNIMPLEMENTED desc = x", 1L));
        assertThat(report.toText()).contains("No request succeeded.", "[1]\trpc error: code = UNIMPLEMENTED");
        assertThat(report.toJson()).contains("\"requests\":0,\"errors\":1,\"requests_per_second\":0.000000000");
    }

    @Test
    void percentileLabelsAsEtcdPrintsThem() {
        assertThat(Report.PERCENTILES).extracting(Report::label)
                .containsExactly("10", "25", "50", "75", "90", "95", "99", "99.9");
    }
}
