package io.etcetera.dist.benchmark;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera benchmark [global flags] <put|range|txn-put|watch|lease-keepalive> [flags]}:
 * a load generator for any etcd v3 server, modeled on etcd's {@code tools/benchmark} (same
 * subcommands, flags, defaults and report). It speaks only the etcd v3 gRPC API through the stubs
 * generated in api-grpc, over grpc-netty, so it measures real etcd and etcetera alike.
 *
 * <p>Global flags: {@code --endpoints} (comma list, default {@code 127.0.0.1:2379}),
 * {@code --conns} (gRPC channels, default 1), {@code --clients} (requests in flight, default 1),
 * {@code --target-leader}, {@code --consistency l|s} (reads; also accepted after the
 * subcommand), {@code -w simple|json}, {@code --progress}. Prints the report on stdout, a progress
 * bar on stderr while it runs when the console is a terminal (or with {@code --progress}).
 *
 * <p>Exit status: 0 when every request succeeded, 1 when some failed (they are listed in the
 * report's error distribution) or the benchmark could not start, 2 for a command line that does
 * not parse. Used once per process, from the main thread.
 */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Benchmark an etcd v3 server (etcd or etcetera) over its gRPC API, like etcd's tools/benchmark.",
                "Reports latency (Summary, histogram, percentiles from HdrHistogram) on stdout."},
        subcommands = {PutBenchmark.class, RangeBenchmark.class, TxnPutBenchmark.class, WatchBenchmark.class,
                LeaseKeepaliveBenchmark.class},
        footer = {"", "Exit status: 0 when every request succeeded, 1 when some failed or the run could not start,",
                "2 for a command line that does not parse."})
public final class BenchmarkCommand implements Callable<Integer> {

    /** Longest a single unary request may take before it counts as failed (DEADLINE_EXCEEDED). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--endpoints", split = ",", paramLabel = "HOST:PORT",
            description = "gRPC endpoints, comma-separated. Default: ${DEFAULT-VALUE}.", defaultValue = "127.0.0.1:2379")
    private List<String> endpoints = new ArrayList<>();

    @Option(names = "--conns", paramLabel = "N", description = "Total number of gRPC connections. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    private int conns;

    @Option(names = "--clients", paramLabel = "N",
            description = "Total number of concurrent requests in flight (clients). Default: ${DEFAULT-VALUE}.", defaultValue = "1")
    private int clients;

    @Option(names = "--target-leader", description = "Send requests only to the leader among the endpoints (Maintenance.Status).")
    private boolean targetLeader;

    @Option(names = "--consistency", paramLabel = "l|s", scope = ScopeType.INHERIT, converter = Consistency.Converter.class,
            description = "Read consistency: l linearizable, s serializable. Default: l.", defaultValue = "l")
    private Consistency consistency;

    @Option(names = {"-w", "--write-out"}, paramLabel = "simple|json", scope = ScopeType.INHERIT,
            converter = OutputFormat.Converter.class, description = "Report format: simple (etcd's text) or json (one line). Default: simple.",
            defaultValue = "simple")
    private OutputFormat writeOut;

    @Option(names = "--progress", scope = ScopeType.INHERIT,
            description = "Draw the progress bar on stderr even when it is not a terminal.")
    private boolean progress;

    /** Without a subcommand: a usage error naming the subcommands. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: one of put, range, txn-put, watch, lease-keepalive");
    }

    /** The work of one subcommand: runs against open connections, records into the recorder. */
    @FunctionalInterface
    interface Run {
        /** Runs the load and returns its wall-clock duration. */
        Duration run(Connections connections, LatencyRecorder recorder) throws BenchmarkException, InterruptedException;
    }

    /**
     * Opens the connections, runs {@code run} with a progress bar of {@code expectedResults}
     * steps, prints the report and returns the exit status.
     *
     * @param subcommand the subcommand's spec, for usage errors
     * @param operation the report's operation name
     */
    int runAndReport(CommandSpec subcommand, String operation, long expectedResults, Run run) {
        validate(subcommand);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Report report;
        try {
            List<Endpoint> targets = targetLeader ? List.of(Connections.leader(endpoints(subcommand))) : endpoints(subcommand);
            LatencyRecorder recorder = new LatencyRecorder();
            try (Connections connections = Connections.open(targets, conns);
                 ProgressBar bar = ProgressBar.start(err, expectedResults, recorder::completed, progress || System.console() != null)) {
                Duration total = run.run(connections, recorder);
                report = recorder.report(operation, total);
            }
        } catch (BenchmarkException e) {
            err.println("etcetera benchmark " + operation + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("etcetera benchmark " + operation + ": interrupted");
            err.flush();
            return 1;
        }
        out.print(writeOut == OutputFormat.JSON ? report.toJson() : report.toText());
        out.flush();
        return report.failures() == 0 ? 0 : 1;
    }

    private void validate(CommandSpec subcommand) {
        if (conns < 1) {
            throw new ParameterException(subcommand.commandLine(), "--conns must be at least 1: " + conns);
        }
        if (clients < 1) {
            throw new ParameterException(subcommand.commandLine(), "--clients must be at least 1: " + clients);
        }
        endpoints(subcommand);
    }

    /** The parsed {@code --endpoints}. */
    List<Endpoint> endpoints(CommandSpec subcommand) {
        try {
            List<Endpoint> parsed = endpoints.stream().filter(text -> !text.isBlank()).map(Endpoint::parse).toList();
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("no endpoint given");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(subcommand.commandLine(), "--endpoints: " + e.getMessage());
        }
    }

    int conns() {
        return conns;
    }

    int clients() {
        return clients;
    }

    boolean targetLeader() {
        return targetLeader;
    }

    Consistency consistency() {
        return consistency;
    }

    OutputFormat writeOut() {
        return writeOut;
    }
}
