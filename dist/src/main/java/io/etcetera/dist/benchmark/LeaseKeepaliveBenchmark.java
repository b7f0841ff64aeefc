package io.etcetera.dist.benchmark;

import io.etcetera.api.grpc.pb.LeaseGrpc;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera benchmark lease-keepalive}: {@code --total} lease keep-alives, as etcd's
 * {@code tools/benchmark/cmd/lease.go}. Each client grants itself one lease (TTL
 * {@link #LEASE_TTL_SECONDS}) and sends keep-alives for it on its own LeaseKeepAlive stream, one
 * in flight at a time; a result is one keep-alive round trip. Leases are left to expire, as in
 * etcd's tool. A server that cannot grant a lease stops the run before it starts.
 */
@Command(name = "lease-keepalive", mixinStandardHelpOptions = true, sortOptions = false, description = "Benchmark lease keepalive.")
final class LeaseKeepaliveBenchmark implements Callable<Integer> {

    /** TTL of the leases the clients grant themselves, seconds (etcd's tool uses 100). */
    static final long LEASE_TTL_SECONDS = 100;

    @ParentCommand
    private BenchmarkCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--total", paramLabel = "N", description = "Total number of lease keepalive requests. Default: ${DEFAULT-VALUE}.",
            defaultValue = "10000")
    private long total;

    @Override
    public Integer call() {
        if (total < 1) {
            throw new ParameterException(spec.commandLine(), "--total must be at least 1: " + total);
        }
        return parent.runAndReport(spec, "lease-keepalive", total, (connections, recorder) -> {
            List<KeepAliveStream> streams = new ArrayList<>();
            try {
                for (int client = 0; client < parent.clients(); client++) {
                    streams.add(new KeepAliveStream(connections.channel(client), grant(connections, client)));
                }
                return new ClosedLoop(total, (client, index) -> streams.get(client).keepAlive(), recorder).run(parent.clients());
            } finally {
                streams.forEach(KeepAliveStream::close);
            }
        });
    }

    private static long grant(Connections connections, int client) throws BenchmarkException {
        try {
            return LeaseGrpc.newBlockingStub(connections.channel(client))
                    .withDeadlineAfter(BenchmarkCommand.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(LEASE_TTL_SECONDS).build())
                    .getID();
        } catch (StatusRuntimeException e) {
            throw new BenchmarkException("cannot grant a lease: " + LatencyRecorder.describe(e));
        }
    }

    long total() {
        return total;
    }
}
