package io.etcetera.dist.benchmark;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.spi.etcdserverpb.PutRequest;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera benchmark put}: {@code --total} KV.Put requests of {@code --val-size}-byte values
 * to etcd-benchmark keys ({@link Keys}) chosen at random in {@code --key-space-size}, or in order
 * with {@code --sequential-keys}; as etcd's {@code tools/benchmark/cmd/put.go}. The value is one
 * random byte string reused by every request.
 */
@Command(name = "put", mixinStandardHelpOptions = true, sortOptions = false, description = "Benchmark put.")
final class PutBenchmark implements Callable<Integer> {

    @ParentCommand
    private BenchmarkCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private WriteOptions write;

    @Option(names = "--total", paramLabel = "N", description = "Total number of put requests. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10000")
    private long total;

    @Option(names = "--sequential-keys", description = "Use sequential keys (key number = request number mod key space).")
    private boolean sequentialKeys;

    @Override
    public Integer call() {
        write.validate(spec, total, 1);
        ByteString value = write.value();
        return parent.runAndReport(spec, "put", total, (connections, recorder) ->
                new ClosedLoop(total, (client, index) -> {
                    long keyNumber = sequentialKeys ? index % write.keySpaceSize() : ThreadLocalRandom.current().nextLong(write.keySpaceSize());
                    PutRequest put = PutRequest.newBuilder().setKey(write.key(keyNumber)).setValue(value).build();
                    return KVGrpc.newFutureStub(connections.channel(client))
                            .withDeadlineAfter(BenchmarkCommand.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .put(put);
                }, recorder).run(parent.clients()));
    }

    long total() {
        return total;
    }

    boolean sequentialKeys() {
        return sequentialKeys;
    }

    WriteOptions write() {
        return write;
    }
}
