package io.etcetera.spi.transport;

/**
 * A peer-transport plugin, found with {@link java.util.ServiceLoader} and chosen by {@link #id()}
 * ({@code netty}). Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface PeerTransportProvider {

    /** The stable lowercase id used in config, logs and errors ({@code netty}). */
    String id();

    /** Creates a transport for {@code context}; it binds nothing and dials nobody until started. */
    PeerTransport create(TransportContext context);

    /**
     * One request from a process that is not a member yet (a member joining with
     * {@code --initial-cluster-state existing} fetching the cluster, as etcd's
     * {@code GetClusterFromRemotePeers} does): connects to the first of {@code peerUrls} that
     * answers, without a cluster id, and calls {@code method}; the peer's handler sees
     * {@code from == 0}. Never blocks.
     *
     * @param timeoutMs how long to wait for the answer, in ms, over all URLs
     * @return the encoded response; fails with {@link PeerRequestException} as
     *     {@link PeerTransport#request}
     */
    java.util.concurrent.CompletableFuture<byte[]> request(java.util.List<java.net.URI> peerUrls, String method,
            byte[] body, long timeoutMs);
}
