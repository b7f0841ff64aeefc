package io.etcetera.spi.transport;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What the kernel hands a peer transport when it creates one.
 *
 * @param localMemberId this member's id (etcd's {@code computeMemberId}); never 0
 * @param clusterId this member's cluster id; a peer presenting another one is refused with
 *     {@code cluster ID mismatch}, as etcd's {@code rafthttp} does; never 0
 * @param listenPeerUrls the peer URLs to bind ({@code --listen-peer-urls}), e.g.
 *     {@code http://127.0.0.1:2380}; port 0 binds a free port; only {@code http} until TLS lands
 * @param handler receives inbound messages and snapshots and the outcome of outbound ones
 * @param limits queue lengths, sizes and timeouts
 * @param requests answers peers' request/response calls ({@link PeerTransport#request})
 */
public record TransportContext(long localMemberId, long clusterId, List<URI> listenPeerUrls,
                               PeerHandler handler, TransportLimits limits, PeerRequestHandler requests) {
    /**
     * @throws IllegalArgumentException when a member or cluster id is 0
     * @throws NullPointerException when an argument is null
     */
    public TransportContext {
        if (localMemberId == 0 || clusterId == 0) {
            throw new IllegalArgumentException("member id and cluster id must not be 0");
        }
        listenPeerUrls = List.copyOf(listenPeerUrls);
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(requests, "requests");
    }

    /** A context whose transport answers no peer request ({@link PeerRequestHandler#NONE}). */
    public TransportContext(long localMemberId, long clusterId, List<URI> listenPeerUrls, PeerHandler handler,
            TransportLimits limits) {
        this(localMemberId, clusterId, listenPeerUrls, handler, limits, PeerRequestHandler.NONE);
    }
}
