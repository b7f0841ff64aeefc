package io.etcetera.spi.transport;

import java.util.concurrent.CompletableFuture;

/**
 * The kernel's answers to request/response calls between members: what etcd serves on the peer
 * port besides {@code /raft} — {@code /members} (a joining member learns the cluster) and
 * {@code /leases} (a follower forwards LeaseKeepAlive and LeaseTimeToLive to the leader).
 *
 * <p>Called on a transport I/O thread: must not block; return a future completed later.
 * Thread-safe.
 */
@FunctionalInterface
public interface PeerRequestHandler {

    /** A handler that knows no method: every request fails. */
    PeerRequestHandler NONE = (from, method, body) ->
            CompletableFuture.failedFuture(new PeerRequestException("unknown peer request method " + method));

    /**
     * Answers request {@code method} (e.g. {@code "members"}, {@code "lease.keepalive"}).
     *
     * @param from the caller's member id, authenticated by the connection's handshake; 0 when the
     *     caller is not a member yet (a joining member calling {@link PeerTransportProvider#request})
     * @param method what is asked; the handler defines the names
     * @param body the encoded request, owned by the handler
     * @return the encoded response; a future failed with {@link PeerRequestException} (its message
     *     is sent back and becomes the caller's failure message) or any other exception (the
     *     caller sees its message)
     */
    CompletableFuture<byte[]> onRequest(long from, String method, byte[] body);
}
