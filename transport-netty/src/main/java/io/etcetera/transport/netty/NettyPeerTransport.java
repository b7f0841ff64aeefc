package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerRequestException;
import io.etcetera.spi.transport.PeerStatus;
import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.SnapshotPayload;
import io.etcetera.spi.transport.SnapshotStatus;
import io.etcetera.spi.transport.TransportContext;
import io.etcetera.spi.transport.TransportLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Netty peer transport: listens on the peer URLs, keeps one outbound stream connection per
 * peer ({@link Peer}), accepts the peers' streams and snapshots ({@link AcceptorHandler}) and
 * sends snapshots on connections of their own ({@link SnapshotSender}); peer requests go over a
 * request connection per peer ({@link RequestClient}), dialled on first use.
 *
 * <p>Threads: {@link #IO_THREADS} Netty event loops named {@code etcetera-peer-io-*}, each peer
 * pinned to one; up to {@code 2 * maxConcurrentSnapshots} snapshot threads named
 * {@code etcetera-peer-snapshot-*}, started on demand. Thread-safe.
 */
public final class NettyPeerTransport implements PeerTransport {
    private static final System.Logger LOG = System.getLogger(NettyPeerTransport.class.getName());

    /** Event loop threads: peers are few and their traffic is light next to the disk's. */
    public static final int IO_THREADS = 2;
    /** How long {@link #close()} waits for the threads to stop, in ms. */
    public static final long SHUTDOWN_TIMEOUT_MS = 5_000;
    /** The socket send buffer level above which a stream stops draining its queue, in bytes. */
    static final int WRITE_BUFFER_HIGH_WATER_BYTES = 1024 * 1024;
    /** The level below which it drains again, in bytes. */
    static final int WRITE_BUFFER_LOW_WATER_BYTES = 256 * 1024;

    private final TransportContext context;
    private final TransportLimits limits;
    private final int maxFrameBytes;
    private final ConcurrentHashMap<Long, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, RequestClient> requestClients = new ConcurrentHashMap<>();
    private final Set<SnapshotSender> snapshotsInFlight = ConcurrentHashMap.newKeySet();
    private final Semaphore outboundSnapshotPermits;
    private final List<Channel> serverChannels = new ArrayList<>();
    private EventLoopGroup group;
    private ExecutorService snapshotExecutor;
    private Inbound inbound;
    /** Connections peers opened to this member; closed first by {@link #close()}. */
    private final io.netty.channel.group.ChannelGroup accepted =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private boolean started;
    private volatile boolean closed;

    /** A transport for {@code context}; nothing is bound or dialled until {@link #start()}. */
    public NettyPeerTransport(TransportContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.limits = context.limits();
        this.maxFrameBytes = Frame.maxFrameBytes(limits.maxMessageBytes(), limits.snapshotChunkBytes());
        this.outboundSnapshotPermits = new Semaphore(limits.maxConcurrentSnapshots());
    }

    @Override
    public synchronized void start() throws IOException {
        if (closed || started) {
            throw new IllegalStateException(closed ? "the peer transport is closed" : "the peer transport is already started");
        }
        started = true;
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (URI url : context.listenPeerUrls()) {
            addresses.add(PeerUrls.listenAddress(url));
        }
        group = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("etcetera-peer-io", true),
                NioIoHandler.newFactory());
        snapshotExecutor = new ThreadPoolExecutor(0, 2 * limits.maxConcurrentSnapshots(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory("etcetera-peer-snapshot", true));
        inbound = new Inbound(context, peers::containsKey, snapshotExecutor);
        try {
            for (InetSocketAddress address : addresses) {
                Channel server = serverBootstrap().bind(address).syncUninterruptibly().channel();
                serverChannels.add(server);
                LOG.log(Level.INFO, "listening for peers on {0} (member {1})", server.localAddress(),
                        Peer.hex(context.localMemberId()));
            }
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot listen for peers: " + e.getMessage(), e);
        }
        peers.replaceAll((id, unstarted) -> newPeer(id, unstarted.addresses()));
        peers.values().forEach(Peer::start);
    }

    private ServerBootstrap serverBootstrap() {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        ch.pipeline().addLast(Frame.decoder(maxFrameBytes), new AcceptorHandler(inbound));
                    }
                });
    }

    private static ChannelInitializer<SocketChannel> initializer(int maxFrameBytes, Supplier<ChannelHandler> handler) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(Frame.decoder(maxFrameBytes), handler.get());
            }
        };
    }

    private ChannelFuture dial(EventLoop loop, InetSocketAddress address, ChannelHandler handler) {
        return dial(loop, address, handler, limits, maxFrameBytes);
    }

    /**
     * Opens a peer connection to {@code address} on {@code loop}: frames of at most
     * {@code maxFrameBytes}, {@code limits.dialTimeoutMs()} to connect, {@code handler} last in
     * the pipeline. Shared with {@link NettyPeerTransportProvider#request}.
     */
    static ChannelFuture dial(EventLoop loop, InetSocketAddress address, ChannelHandler handler,
            TransportLimits limits, int maxFrameBytes) {
        return new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, limits.dialTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        WRITE_BUFFER_LOW_WATER_BYTES, WRITE_BUFFER_HIGH_WATER_BYTES))
                .handler(initializer(maxFrameBytes, () -> handler))
                .connect(address);
    }

    private Hello hello(ConnectionKind kind, long to) {
        return new Hello(Hello.PROTOCOL_VERSION, kind, context.clusterId(), context.localMemberId(), to);
    }

    @Override
    public synchronized List<InetSocketAddress> boundAddresses() {
        if (closed) {
            return List.of();
        }
        List<InetSocketAddress> bound = new ArrayList<>();
        for (Channel server : serverChannels) {
            bound.add((InetSocketAddress) server.localAddress());
        }
        return List.copyOf(bound);
    }

    @Override
    public synchronized void addPeer(long memberId, List<URI> peerUrls) {
        checkPeerId(memberId);
        List<InetSocketAddress> addresses = PeerUrls.dialAddresses(peerUrls);
        if (closed || peers.containsKey(memberId)) {
            return;
        }
        if (!started) {
            peers.put(memberId, new Peer(memberId, addresses, null, this::dialStream, context.handler(), limits));
            return;
        }
        Peer peer = newPeer(memberId, addresses);
        peers.put(memberId, peer);
        peer.start();
    }

    private Peer newPeer(long memberId, List<InetSocketAddress> addresses) {
        return new Peer(memberId, addresses, group.next(), this::dialStream, context.handler(), limits);
    }

    private ChannelFuture dialStream(Peer peer, InetSocketAddress address) {
        return dial(peer.loop(), address, new StreamDialerHandler(peer, hello(ConnectionKind.STREAM, peer.memberId())));
    }

    @Override
    public void updatePeer(long memberId, List<URI> peerUrls) {
        checkPeerId(memberId);
        List<InetSocketAddress> addresses = PeerUrls.dialAddresses(peerUrls);
        Peer peer = peers.get(memberId);
        if (peer != null) {
            peer.updateAddresses(addresses);
        }
    }

    @Override
    public synchronized void removePeer(long memberId) {
        Peer peer = peers.remove(memberId);
        if (peer == null) {
            return;
        }
        peer.close();
        RequestClient requests = requestClients.remove(memberId);
        if (requests != null) {
            requests.close();
        }
        if (inbound != null) {
            inbound.closeStreamOf(memberId);
        }
        snapshotsInFlight.stream().filter(s -> s.memberId() == memberId).forEach(SnapshotSender::abort);
    }

    @Override
    public void send(long to, byte[] message) {
        if (message.length > limits.maxMessageBytes()) {
            throw new IllegalArgumentException("message of " + message.length + " bytes exceeds maxMessageBytes "
                    + limits.maxMessageBytes());
        }
        Peer peer = peers.get(to);
        if (peer != null && peer.loop() != null) {
            peer.send(message);
        }
    }

    @Override
    public void sendSnapshot(long to, SnapshotPayload snapshot) {
        Peer peer = peers.get(to);
        if (peer == null || peer.loop() == null || closed) {
            reportSnapshotFailure(to, peer == null ? "unknown peer" : "transport not running");
            return;
        }
        if (!outboundSnapshotPermits.tryAcquire()) {
            reportSnapshotFailure(to, "too many snapshots in flight");
            return;
        }
        SnapshotSender sender = new SnapshotSender(peer, hello(ConnectionKind.SNAPSHOT, to), snapshot,
                context.handler(), limits, (address, answers) -> dial(peer.loop(), address, answers),
                this::snapshotDone);
        snapshotsInFlight.add(sender);
        try {
            snapshotExecutor.execute(sender);
        } catch (RejectedExecutionException e) {
            snapshotDone(sender);
            reportSnapshotFailure(to, "transport closing");
        }
    }

    private void snapshotDone(SnapshotSender sender) {
        snapshotsInFlight.remove(sender);
        outboundSnapshotPermits.release();
    }

    /** Reports a snapshot that never started, on an event loop so that the caller is not re-entered. */
    private void reportSnapshotFailure(long to, String reason) {
        LOG.log(Level.WARNING, "cannot send a snapshot to peer {0}: {1}", Peer.hex(to), reason);
        Runnable report = () -> context.handler().snapshotStatus(to, SnapshotStatus.FAILURE);
        EventLoopGroup loops = group;
        if (loops != null && !loops.isShuttingDown()) {
            try {
                loops.execute(report);
                return;
            } catch (RejectedExecutionException e) {
                LOG.log(Level.DEBUG, "event loops stopped; reporting on the calling thread");
            }
        }
        report.run();
    }

    @Override
    public CompletableFuture<byte[]> request(long to, String method, byte[] body, long timeoutMs) {
        Peer peer = peers.get(to);
        if (peer == null || peer.loop() == null || closed) {
            return CompletableFuture.failedFuture(new PeerRequestException("request " + method + " to peer "
                    + Peer.hex(to) + ": " + (peer == null ? "unknown peer" : "transport not running"), false, null));
        }
        return requestClients.computeIfAbsent(to, id -> newRequestClient(peer)).request(method, body, timeoutMs);
    }

    private RequestClient newRequestClient(Peer peer) {
        return new RequestClient("peer " + Peer.hex(peer.memberId()), peer.loop(), peer::addresses,
                hello(ConnectionKind.REQUEST, peer.memberId()),
                (address, handler) -> dial(peer.loop(), address, handler), limits.dialTimeoutMs(),
                limits.maxMessageBytes());
    }

    @Override
    public Optional<PeerStatus> status(long memberId) {
        return Optional.ofNullable(peers.get(memberId)).map(Peer::status);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        peers.values().forEach(Peer::close);
        requestClients.values().forEach(RequestClient::close);
        snapshotsInFlight.forEach(SnapshotSender::abort);
        serverChannels.forEach(server -> server.close().syncUninterruptibly());
        // Close what peers opened to us before the loops stop, so that they see it at once.
        accepted.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (snapshotExecutor != null) {
            snapshotExecutor.shutdownNow();
        }
        if (group != null) {
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        if (snapshotExecutor != null) {
            awaitTermination(snapshotExecutor);
        }
        LOG.log(Level.INFO, "peer transport of member {0} closed", Peer.hex(context.localMemberId()));
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "snapshot threads still running after {0} ms", SHUTDOWN_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkPeerId(long memberId) {
        if (memberId == 0 || memberId == context.localMemberId()) {
            throw new IllegalArgumentException("invalid peer id " + Peer.hex(memberId));
        }
    }
}
