package io.etcetera.dist.benchmark;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera benchmark txn-put}: {@code --total} KV.Txn requests without compares, each with
 * {@code --txn-ops} puts in its success branch; request {@code r}'s op {@code j} writes key number
 * {@code (r * txnOps + j) mod key-space-size}, as etcd's {@code tools/benchmark/cmd/txn_put.go}.
 */
@Command(name = "txn-put", mixinStandardHelpOptions = true, sortOptions = false, description = "Benchmark txn-put.")
final class TxnPutBenchmark implements Callable<Integer> {

    @ParentCommand
    private BenchmarkCommand parent;

    @Spec
    private CommandSpec spec;

    @Mixin
    private WriteOptions write;

    @Option(names = "--total", paramLabel = "N", description = "Total number of txn requests. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10000")
    private long total;

    @Option(names = "--txn-ops", paramLabel = "N", description = "Number of puts per txn. Default: ${DEFAULT-VALUE}.",
            defaultValue = "1")
    private int txnOps;

    @Override
    public Integer call() {
        if (txnOps < 1) {
            throw new ParameterException(spec.commandLine(), "--txn-ops must be at least 1: " + txnOps);
        }
        write.validate(spec, total, txnOps);
        ByteString value = write.value();
        return parent.runAndReport(spec, "txn-put", total, (connections, recorder) ->
                new ClosedLoop(total, (client, index) -> KVGrpc.newFutureStub(connections.channel(client))
                        .withDeadlineAfter(BenchmarkCommand.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .txn(request(index, value)), recorder).run(parent.clients()));
    }

    /** Txn number {@code index}: {@code --txn-ops} puts of {@code value}. */
    TxnRequest request(long index, ByteString value) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int op = 0; op < txnOps; op++) {
            long keyNumber = (index * txnOps + op) % write.keySpaceSize();
            txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(write.key(keyNumber)).setValue(value)));
        }
        return txn.build();
    }

    long total() {
        return total;
    }

    WriteOptions write() {
        return write;
    }

    int txnOps() {
        return txnOps;
    }
}
