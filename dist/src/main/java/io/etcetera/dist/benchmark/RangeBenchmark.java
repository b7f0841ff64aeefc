package io.etcetera.dist.benchmark;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera benchmark range KEY [END]}: {@code --total} KV.Range requests of {@code KEY}
 * (or {@code [KEY, END)}), linearizable or serializable ({@code --consistency l|s}); as etcd's
 * {@code tools/benchmark/cmd/range.go}. Keys are UTF-8 text, as on etcd's command line.
 */
@Command(name = "range", mixinStandardHelpOptions = true, sortOptions = false, description = "Benchmark range.")
final class RangeBenchmark implements Callable<Integer> {

    @ParentCommand
    private BenchmarkCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key to read (or the start of the range).")
    private String key;

    @Parameters(index = "1", paramLabel = "END", arity = "0..1", description = "The end of the range (exclusive).")
    private String end;

    @Option(names = "--total", paramLabel = "N", description = "Total number of range requests. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10000")
    private long total;

    @Override
    public Integer call() {
        if (total < 1) {
            throw new ParameterException(spec.commandLine(), "--total must be at least 1: " + total);
        }
        RangeRequest range = request(parent.consistency());
        return parent.runAndReport(spec, "range", total, (connections, recorder) ->
                new ClosedLoop(total, (client, index) -> KVGrpc.newFutureStub(connections.channel(client))
                        .withDeadlineAfter(BenchmarkCommand.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .range(range), recorder).run(parent.clients()));
    }

    /** The one request every client repeats. */
    RangeRequest request(Consistency consistency) {
        RangeRequest.Builder range = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setSerializable(consistency.serializable());
        if (end != null) {
            range.setRangeEnd(ByteString.copyFromUtf8(end));
        }
        return range.build();
    }

    long total() {
        return total;
    }
}
