package io.etcetera.dist.benchmark;

import io.etcetera.api.grpc.pb.MaintenanceGrpc;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's gRPC channels ({@code --conns}), spread round-robin over the endpoints, each one
 * HTTP/2 connection on which many requests are multiplexed, as etcd's benchmark does with its
 * {@code --conns} clientv3 clients. Client {@code i} uses channel {@code i % conns}.
 *
 * <p>Callbacks run on the channels' Netty event loops ({@code directExecutor}): the benchmark's
 * callbacks only record and issue the next asynchronous call, never block.
 * Thread-safety: {@link #channel} may be called from any thread; {@link #close} once, at the end.
 */
final class Connections implements AutoCloseable {

    /** Largest response accepted, bytes: etcd's clientv3 default (math.MaxInt32). */
    private static final int MAX_INBOUND_MESSAGE_BYTES = Integer.MAX_VALUE;

    /** Longest wait for a Status answer while looking for the leader. */
    static final long STATUS_TIMEOUT_MS = 5_000;

    private static final long CLOSE_TIMEOUT_MS = 5_000;

    private final List<ManagedChannel> channels;

    private Connections(List<ManagedChannel> channels) {
        this.channels = channels;
    }

    /**
     * Opens {@code conns} channels (at least 1) over {@code endpoints}, round-robin. Channels
     * connect lazily, at their first call.
     */
    static Connections open(List<Endpoint> endpoints, int conns) {
        List<ManagedChannel> channels = new ArrayList<>(conns);
        for (int i = 0; i < conns; i++) {
            Endpoint endpoint = endpoints.get(i % endpoints.size());
            channels.add(NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                    .usePlaintext()
                    .directExecutor()
                    .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                    .build());
        }
        return new Connections(List.copyOf(channels));
    }

    /**
     * The endpoint among {@code endpoints} whose member is the Raft leader ({@code --target-leader},
     * as etcd's benchmark: Maintenance.Status, leader == the answering member's id). With a single
     * endpoint it is returned without asking: a one-member cluster leads itself.
     *
     * @throws BenchmarkException if no endpoint answers that it is the leader
     */
    static Endpoint leader(List<Endpoint> endpoints) throws BenchmarkException {
        if (endpoints.size() == 1) {
            return endpoints.get(0);
        }
        List<String> answers = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            ManagedChannel channel = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port()).usePlaintext().build();
            try {
                StatusResponse status = MaintenanceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(STATUS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .status(StatusRequest.getDefaultInstance());
                if (status.getLeader() != 0 && status.getLeader() == status.getHeader().getMemberId()) {
                    return endpoint;
                }
                answers.add(endpoint + ": member " + Long.toHexString(status.getHeader().getMemberId())
                        + " follows " + Long.toHexString(status.getLeader()));
            } catch (StatusRuntimeException e) {
                answers.add(endpoint + ": " + LatencyRecorder.describe(e));
            } finally {
                channel.shutdownNow();
            }
        }
        throw new BenchmarkException("--target-leader: no endpoint is the leader (" + String.join("; ", answers) + ")");
    }

    /** The channel of client number {@code client} (0-based). */
    ManagedChannel channel(int client) {
        return channels.get(client % channels.size());
    }

    /** Number of channels. */
    int size() {
        return channels.size();
    }

    /** Cancels whatever is still in flight and closes every channel. */
    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
