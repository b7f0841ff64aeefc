package io.etcetera.dist.benchmark;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera benchmark watch}: event delivery latency, as etcd's {@code watch-latency}
 * ({@code tools/benchmark/cmd/watch_latency.go}): {@code --streams} watch streams with
 * {@code --watchers-per-stream} watchers each, all on one random key; then {@code --put-total}
 * puts to that key, at most {@code --put-rate} a second, one at a time. Each put waits until
 * every watcher has its event; a result is the time from issuing the put to one watcher receiving
 * its event (so {@code put-total × streams × watchers-per-stream} results). See {@link WatchLatency}.
 */
@Command(name = "watch", aliases = "watch-latency", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark watch event latency: from issuing a put to each watcher receiving its event.")
final class WatchBenchmark implements Callable<Integer> {

    @ParentCommand
    private BenchmarkCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--put-total", paramLabel = "N", description = "Total number of puts. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1000")
    private int putTotal;

    @Option(names = "--put-rate", paramLabel = "N", description = "Puts per second, 0 for as fast as they complete. Default: ${DEFAULT-VALUE}.",
            defaultValue = "100")
    private int putRate;

    @Option(names = "--streams", paramLabel = "N", description = "Total number of watch streams. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10")
    private int streams;

    @Option(names = "--watchers-per-stream", paramLabel = "N", description = "Watchers on each stream. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10")
    private int watchersPerStream;

    @Option(names = "--key-size", paramLabel = "BYTES", description = "Key size, bytes. Default: ${DEFAULT-VALUE}.", defaultValue = "32")
    private int keySize;

    @Option(names = "--val-size", paramLabel = "BYTES", description = "Value size, bytes. Default: ${DEFAULT-VALUE}.", defaultValue = "32")
    private int valSize;

    @Override
    public Integer call() {
        if (putTotal < 1 || streams < 1 || watchersPerStream < 1) {
            throw new ParameterException(spec.commandLine(), "--put-total, --streams and --watchers-per-stream must be at least 1");
        }
        if (putRate < 0 || keySize < 1 || valSize < 0) {
            throw new ParameterException(spec.commandLine(), "--put-rate must be at least 0, --key-size at least 1, --val-size at least 0");
        }
        WatchLatency watch = new WatchLatency(putTotal, putRate, streams, watchersPerStream, keySize, valSize, Duration.ofSeconds(10));
        return parent.runAndReport(spec, "watch", (long) putTotal * streams * watchersPerStream, watch::run);
    }

    int putTotal() {
        return putTotal;
    }

    int putRate() {
        return putRate;
    }

    int streams() {
        return streams;
    }

    int watchersPerStream() {
        return watchersPerStream;
    }
}
