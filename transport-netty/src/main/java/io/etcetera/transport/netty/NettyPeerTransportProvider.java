package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.PeerTransportProvider;
import io.etcetera.spi.transport.TransportContext;
import io.etcetera.spi.transport.TransportLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@code netty} peer transport provider. Stateless; thread-safe. */
public final class NettyPeerTransportProvider implements PeerTransportProvider {
    /** The provider id used in config, logs and errors. */
    public static final String ID = "netty";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public PeerTransport create(TransportContext context) {
        return new NettyPeerTransport(context);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs on an event loop thread of its own ({@code etcetera-peer-request-*}), stopped once
     * the answer is in; the connection is a {@link ConnectionKind#REQUEST} one with cluster id
     * and sender 0, dialled within {@link TransportLimits#DEFAULT_DIAL_TIMEOUT_MS} per URL.
     * The future completes on that thread.
     *
     * @throws IllegalArgumentException when {@code peerUrls} is empty or names a scheme other
     *     than {@code http}
     */
    @Override
    public CompletableFuture<byte[]> request(List<URI> peerUrls, String method, byte[] body, long timeoutMs) {
        List<InetSocketAddress> addresses = PeerUrls.dialAddresses(peerUrls);
        TransportLimits limits = TransportLimits.defaults();
        int maxFrameBytes = Frame.maxFrameBytes(limits.maxMessageBytes(), limits.snapshotChunkBytes());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("etcetera-peer-request", true),
                NioIoHandler.newFactory());
        var loop = group.next();
        RequestClient client = new RequestClient("peer at " + peerUrls, loop, () -> addresses,
                new Hello(Hello.PROTOCOL_VERSION, ConnectionKind.REQUEST, 0, 0, 0),
                (address, handler) -> NettyPeerTransport.dial(loop, address, handler, limits, maxFrameBytes),
                limits.dialTimeoutMs(), limits.maxMessageBytes());
        CompletableFuture<byte[]> answer = client.request(method, body, timeoutMs);
        answer.whenComplete((response, failure) -> {
            client.close();
            group.shutdownGracefully(0, NettyPeerTransport.SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        });
        return answer;
    }
}
