package io.etcetera.api.grpc;

import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * etcd's v3 gRPC API on grpc-java over Netty: one gRPC server per client listen URL, all serving
 * the same services. Today those are {@code etcdserverpb.KV}, {@code etcdserverpb.Lease},
 * {@code etcdserverpb.Watch}, {@code v3lockpb.Lock} and {@code v3electionpb.Election}; Cluster,
 * Maintenance and Auth are registered as their kernel facades arrive. While the member is a learner,
 * {@link LearnerGate} refuses what a learner does not serve; while it knows no leader,
 * {@link RequireLeaderGate} refuses calls marked as requiring one, and {@link LeaderMonitor} ends
 * such watch streams after three election timeouts without one.
 *
 * <p>Settings, as etcd 3.4 sets its gRPC server ({@code embed/etcd.go},
 * {@code embed/config.go}, {@code etcdserver/api/v3rpc/grpc.go}):
 * <ul>
 *   <li>largest inbound message: {@code maxRequestBytes + 512 KiB} ({@code grpcOverheadBytes});
 *       a larger message is refused by gRPC with {@code RESOURCE_EXHAUSTED} before any service
 *       sees it (capped at {@link Integer#MAX_VALUE} bytes); outbound messages are unlimited;</li>
 *   <li>keepalive enforcement: clients may ping at most every {@value #KEEPALIVE_MIN_TIME_SECONDS}
 *       s ({@code --grpc-keepalive-min-time}) and only while a call is open
 *       ({@code PermitWithoutStream: false}); a client pinging more often is sent GOAWAY;</li>
 *   <li>server pings: after {@value #KEEPALIVE_INTERVAL_SECONDS} s of inactivity
 *       ({@code --grpc-keepalive-interval}, 2 h), dropping the connection when the ping is not
 *       answered within {@value #KEEPALIVE_TIMEOUT_SECONDS} s ({@code --grpc-keepalive-timeout});</li>
 *   <li>concurrent calls per connection: unlimited, as etcd's default
 *       {@code --max-concurrent-streams} (2<sup>32</sup>-1).</li>
 * </ul>
 *
 * <p>Threads: Netty's NIO transport, with one acceptor thread and Netty's default number of I/O
 * threads (2 × available processors), shared by all listen URLs. Calls are run, and responses
 * written, on a fixed pool of {@link #callThreads()} application threads rather than on the I/O
 * threads: a facade whose method does some work before returning its future then delays other
 * calls of the pool but never the sockets, and the kernel thread that completes a future (the
 * apply loop for writes) never serialises a response. The pool's queue is unbounded; the work in
 * it is bounded by HTTP/2 flow control and the number of open calls, as in etcd.
 *
 * <p>{@link #close()} stops accepting connections, lets open calls finish for up to
 * {@link #SHUTDOWN_GRACE} (etcd waits {@code ReqTimeout()}, 7 s with default election timing)
 * and then cancels what is left.
 *
 * <p>Thread-safe: {@link #start()} and {@link #close()} are serialised; {@link #close()} is
 * idempotent and may be called without {@link #start()}.
 */
public final class GrpcFrontEnd implements ApiFrontEnd {
    private static final System.Logger LOG = System.getLogger(GrpcFrontEnd.class.getName());

    /** Framing allowance above {@code --max-request-bytes}, in bytes (etcd {@code grpcOverheadBytes}). */
    public static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** Least interval between client pings, in seconds (etcd {@code DefaultGRPCKeepAliveMinTime}). */
    public static final long KEEPALIVE_MIN_TIME_SECONDS = 5;
    /** Idle time before the server pings a client, in seconds (etcd {@code DefaultGRPCKeepAliveInterval}). */
    public static final long KEEPALIVE_INTERVAL_SECONDS = 2 * 60 * 60;
    /** Time a client has to answer a server ping, in seconds (etcd {@code DefaultGRPCKeepAliveTimeout}). */
    public static final long KEEPALIVE_TIMEOUT_SECONDS = 20;
    /** How long {@link #close()} lets open calls finish before cancelling them. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(7);
    /** How long {@link #close()} waits for cancelled calls and threads to end after the grace. */
    private static final Duration SHUTDOWN_NOW_WAIT = Duration.ofSeconds(2);

    private final ApiContext context;
    private final Duration shutdownGrace;
    private final List<Server> servers = new ArrayList<>();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService callExecutor;
    private WatchGrpcService watch;
    private ElectionGrpcService election;
    private LeaderMonitor leaderMonitor;
    private boolean closed;

    /**
     * A front end for {@code context}; nothing is bound until {@link #start()}.
     *
     * @throws IllegalArgumentException when {@code context.maxRequestBytes()} is negative
     */
    public GrpcFrontEnd(ApiContext context) {
        this(context, SHUTDOWN_GRACE);
    }

    /** A front end whose {@link #close()} lets open calls finish for {@code shutdownGrace}. */
    GrpcFrontEnd(ApiContext context, Duration shutdownGrace) {
        this.context = Objects.requireNonNull(context, "context");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (context.maxRequestBytes() < 0) {
            throw new IllegalArgumentException("maxRequestBytes must not be negative: " + context.maxRequestBytes());
        }
    }

    /** The largest inbound gRPC message accepted, in bytes: max request bytes plus the overhead. */
    public int maxInboundMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE, context.maxRequestBytes() + GRPC_OVERHEAD_BYTES);
    }

    /** The number of application threads that run calls and write responses. */
    public static int callThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Binds every listen URL and starts serving. On failure nothing stays bound.
     *
     * @throws IOException when a URL is not bindable by etcd's rules (see
     *     {@code ClientListenAddress}) or its address cannot be bound
     * @throws IllegalStateException when already started or closed
     */
    @Override
    public synchronized void start() throws IOException {
        if (closed || !servers.isEmpty()) {
            throw new IllegalStateException(closed ? "the gRPC front end is closed" : "the gRPC front end is already started");
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (URI url : context.listenUrls()) {
            addresses.add(ClientListenAddress.of(url));
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("etcetera-grpc-accept", true),
                NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("etcetera-grpc-io", true),
                NioIoHandler.newFactory());
        callExecutor = Executors.newFixedThreadPool(callThreads(), new DefaultThreadFactory("etcetera-grpc-call", true));
        UnaryResponder responder = new UnaryResponder(callExecutor);
        KvGrpcService kv = new KvGrpcService(context.services().kv(), responder);
        LeaseGrpcService lease = new LeaseGrpcService(context.services().lease(), responder, callExecutor);
        watch = new WatchGrpcService(context.services().watch());
        LockGrpcService lock = new LockGrpcService(context.services().lock(), responder);
        election = new ElectionGrpcService(context.services().election(), responder);
        ClusterGrpcService cluster = new ClusterGrpcService(context.services().cluster(), responder);
        MaintenanceGrpcService maintenance = new MaintenanceGrpcService(context.services().maintenance(), responder);
        LearnerGate learnerGate = new LearnerGate(context.services()::isLearner);
        RequireLeaderGate requireLeader = new RequireLeaderGate(context.services()::hasLeader);
        leaderMonitor = new LeaderMonitor(context.services()::hasLeader, context.services().electionTimeoutMs(),
                watch::closeRequiringLeader);
        try {
            for (InetSocketAddress address : addresses) {
                Server server = serverBuilder(address).addService(kv).addService(lease).addService(watch)
                        .addService(lock).addService(election).addService(cluster).addService(maintenance)
                        // the last added runs first: the learner check, then the leader check (as etcd)
                        .intercept(requireLeader)
                        .intercept(learnerGate)
                        .build().start();
                servers.add(server);
                LOG.log(Level.INFO, "serving gRPC client requests on {0} (etcdserverpb.KV, etcdserverpb.Lease, "
                                + "etcdserverpb.Watch, v3lockpb.Lock, v3electionpb.Election, etcdserverpb.Cluster, "
                                + "etcdserverpb.Maintenance)",
                        server.getListenSockets().get(0));
            }
        } catch (IOException | RuntimeException e) {
            stop();
            servers.clear();
            throw e;
        }
    }

    private NettyServerBuilder serverBuilder(InetSocketAddress address) {
        return NettyServerBuilder.forAddress(address)
                .channelType(NioServerSocketChannel.class)
                .bossEventLoopGroup(bossGroup)
                .workerEventLoopGroup(workerGroup)
                .executor(callExecutor)
                .callExecutor(new InlineWrites())
                .maxInboundMessageSize(maxInboundMessageBytes())
                .permitKeepAliveTime(KEEPALIVE_MIN_TIME_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(false)
                .keepAliveTime(KEEPALIVE_INTERVAL_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Runs KV {@code Put} and {@code DeleteRange} calls on the Netty I/O thread that read them
     * (gRPC's direct executor) instead of handing them to the call pool: their handlers only
     * validate the request and queue a proposal, so the hand-off would cost a thread wake-up per
     * write and save nothing. Every other call keeps the pool ({@code null}: the default).
     */
    private static final class InlineWrites implements ServerCallExecutorSupplier {
        private static final Set<String> METHODS = Set.of(KVGrpc.getPutMethod().getFullMethodName(),
                KVGrpc.getDeleteRangeMethod().getFullMethodName());
        private static final Executor DIRECT = Runnable::run;

        @Override
        public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
            return METHODS.contains(call.getMethodDescriptor().getFullMethodName()) ? DIRECT : null;
        }
    }

    /** The bound addresses in the order of the listen URLs (port 0 resolved); empty when not serving. */
    @Override
    public synchronized List<InetSocketAddress> boundAddresses() {
        if (closed) {
            return List.of();
        }
        List<InetSocketAddress> bound = new ArrayList<>();
        for (Server server : servers) {
            bound.add((InetSocketAddress) server.getListenSockets().get(0));
        }
        return List.copyOf(bound);
    }

    /**
     * Stops accepting connections and frees the ports at once, lets open calls finish for up to
     * {@link #SHUTDOWN_GRACE}, then cancels the rest and stops the threads. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
    }

    private void stop() {
        try {
            if (leaderMonitor != null) {
                leaderMonitor.close();
            }
            if (watch != null) {
                // watch streams never finish by themselves: end them rather than wait out the grace
                watch.closeAll();
            }
            if (election != null) {
                election.closeAll();
            }
            shutDownServers();
        } finally {
            if (callExecutor != null) {
                callExecutor.shutdownNow();
            }
            shutDownGracefully(bossGroup);
            shutDownGracefully(workerGroup);
        }
    }

    private void shutDownServers() {
        servers.forEach(Server::shutdown);
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        try {
            for (Server server : servers) {
                if (!server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.log(Level.WARNING, "gRPC calls still open after {0}; cancelling them", shutdownGrace);
                    server.shutdownNow();
                    server.awaitTermination(SHUTDOWN_NOW_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            servers.forEach(Server::shutdownNow);
            Thread.currentThread().interrupt();
        }
    }

    private static void shutDownGracefully(EventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, SHUTDOWN_NOW_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_NOW_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
