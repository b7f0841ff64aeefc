package io.etcetera.dist.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.dist.launcher.Launcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class BenchmarkCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine commandLine() {
        return Launcher.commandLine(Map.of(), config -> 0, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private <T> T parsed(Class<T> type, String... args) {
        ParseResult result = commandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return type.cast(result.commandSpec().userObject());
    }

    private BenchmarkCommand global(String... args) {
        ParseResult result = commandLine().parseArgs(args);
        return (BenchmarkCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void globalFlagsHaveEtcdsDefaults() {
        BenchmarkCommand benchmark = global("benchmark", "put");
        assertThat(benchmark.conns()).isEqualTo(1);
        assertThat(benchmark.clients()).isEqualTo(1);
        assertThat(benchmark.targetLeader()).isFalse();
        assertThat(benchmark.consistency()).isEqualTo(Consistency.LINEARIZABLE);
        assertThat(benchmark.writeOut()).isEqualTo(OutputFormat.SIMPLE);
        assertThat(benchmark.endpoints(null)).containsExactly(new Endpoint("127.0.0.1", 2379));
    }

    @Test
    void globalFlagsAreParsedBeforeTheSubcommand() {
        BenchmarkCommand benchmark = global("benchmark", "--endpoints", "127.0.0.1:1,http://127.0.0.1:2", "--conns", "4",
                "--clients", "256", "--target-leader", "--consistency", "s", "-w", "json", "range", "k");
        assertThat(benchmark.endpoints(null)).containsExactly(new Endpoint("127.0.0.1", 1), new Endpoint("127.0.0.1", 2));
        assertThat(benchmark.conns()).isEqualTo(4);
        assertThat(benchmark.clients()).isEqualTo(256);
        assertThat(benchmark.targetLeader()).isTrue();
        assertThat(benchmark.consistency()).isEqualTo(Consistency.SERIALIZABLE);
        assertThat(benchmark.writeOut()).isEqualTo(OutputFormat.JSON);
    }

    @Test
    void consistencyAndOutputAreAlsoAcceptedAfterTheSubcommandAsEtcdWritesThem() {
        BenchmarkCommand benchmark = global("benchmark", "range", "k", "--consistency", "s", "-w", "json");
        assertThat(benchmark.consistency()).isEqualTo(Consistency.SERIALIZABLE);
        assertThat(benchmark.writeOut()).isEqualTo(OutputFormat.JSON);
    }

    @Test
    void putFlagsHaveEtcdsNamesAndDefaults() {
        PutBenchmark defaults = parsed(PutBenchmark.class, "benchmark", "put");
        assertThat(defaults.total()).isEqualTo(10_000);
        assertThat(defaults.write().keySize()).isEqualTo(8);
        assertThat(defaults.write().valSize()).isEqualTo(8);
        assertThat(defaults.write().keySpaceSize()).isEqualTo(1);
        assertThat(defaults.sequentialKeys()).isFalse();

        PutBenchmark put = parsed(PutBenchmark.class, "benchmark", "put", "--total", "20000", "--key-size", "16",
                "--val-size", "256", "--sequential-keys", "--key-space-size", "100000");
        assertThat(put.total()).isEqualTo(20_000);
        assertThat(put.write().keySize()).isEqualTo(16);
        assertThat(put.write().valSize()).isEqualTo(256);
        assertThat(put.write().keySpaceSize()).isEqualTo(100_000);
        assertThat(put.sequentialKeys()).isTrue();
    }

    @Test
    void rangeTakesAKeyAndAnOptionalEnd() {
        RangeBenchmark range = parsed(RangeBenchmark.class, "benchmark", "range", "a", "b", "--total", "5");
        assertThat(range.total()).isEqualTo(5);
        assertThat(range.request(Consistency.SERIALIZABLE).getKey().toStringUtf8()).isEqualTo("a");
        assertThat(range.request(Consistency.SERIALIZABLE).getRangeEnd().toStringUtf8()).isEqualTo("b");
        assertThat(range.request(Consistency.SERIALIZABLE).getSerializable()).isTrue();
        assertThat(parsed(RangeBenchmark.class, "benchmark", "range", "a").request(Consistency.LINEARIZABLE).getRangeEnd().isEmpty())
                .isTrue();
    }

    @Test
    void txnPutWritesTxnOpsDistinctKeysPerRequest() {
        TxnPutBenchmark txn = parsed(TxnPutBenchmark.class, "benchmark", "txn-put", "--txn-ops", "3", "--key-space-size", "10");
        assertThat(txn.txnOps()).isEqualTo(3);
        var request = txn.request(4, com.google.protobuf.ByteString.copyFromUtf8("v"));
        assertThat(request.getSuccessList()).extracting(op -> op.getRequestPut().getKey())
                .containsExactly(txn.write().key(2), txn.write().key(3), txn.write().key(4));
        assertThat(request.getCompareList()).isEmpty();
    }

    @Test
    void watchHasEtcdsWatchLatencyFlags() {
        WatchBenchmark watch = parsed(WatchBenchmark.class, "benchmark", "watch");
        assertThat(List.of(watch.putTotal(), watch.putRate(), watch.streams(), watch.watchersPerStream()))
                .containsExactly(1000, 100, 10, 10);
        WatchBenchmark set = parsed(WatchBenchmark.class, "benchmark", "watch-latency", "--put-total", "50", "--put-rate", "0",
                "--streams", "2", "--watchers-per-stream", "3");
        assertThat(List.of(set.putTotal(), set.putRate(), set.streams(), set.watchersPerStream())).containsExactly(50, 0, 2, 3);
    }

    @Test
    void leaseKeepaliveTakesATotal() {
        assertThat(parsed(LeaseKeepaliveBenchmark.class, "benchmark", "lease-keepalive", "--total", "7").total()).isEqualTo(7);
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag() {
        assertThat(execute("benchmark", "--consistency", "x", "range", "k")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("'x' is not l (linearizable) or s (serializable)");
        assertThat(execute("benchmark", "--clients", "0", "put")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("--clients must be at least 1");
        assertThat(execute("benchmark", "put", "--key-space-size", "100000", "--key-size", "2")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("--key-size 2 is too small for --key-space-size 100000 (needs 3 bytes)");
        assertThat(execute("benchmark", "txn-put", "--txn-ops", "2")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("--key-space-size 1 is smaller than the 2 distinct keys of one request");
        assertThat(execute("benchmark", "--endpoints", "https://127.0.0.1:1", "put")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("--endpoints: only plain http endpoints are supported");
        assertThat(execute("benchmark")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("missing subcommand");
    }

    @Test
    void anUnreachableEndpointGivesAReportOfFailedRequestsAndStatusOne() {
        int status = execute("benchmark", "--endpoints", "127.0.0.1:1", "-w", "json", "put", "--total", "3");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).startsWith("{\"operation\":\"put\"").contains("\"requests\":0,\"errors\":3")
                .contains("rpc error: code = UNAVAILABLE");
    }

    private int execute(String... args) {
        return Launcher.execute(args, Map.of(), config -> 0, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
