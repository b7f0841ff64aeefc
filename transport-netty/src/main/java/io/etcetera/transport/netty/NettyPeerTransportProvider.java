package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.PeerTransportProvider;
import io.etcetera.spi.transport.TransportContext;

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

    /** Not carried yet: fails at once (the f-lease branch implements peer requests). */
    @Override
    public java.util.concurrent.CompletableFuture<byte[]> request(java.util.List<java.net.URI> peerUrls, String method,
            byte[] body, long timeoutMs) {
        return java.util.concurrent.CompletableFuture.failedFuture(new io.etcetera.spi.transport.PeerRequestException(
                "peer requests are not carried by this transport yet", false, null));
    }
}
