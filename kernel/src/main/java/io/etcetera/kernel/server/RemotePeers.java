package io.etcetera.kernel.server;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Calls a peer before this member has a transport of its own: what a member joining a running
 * cluster uses to fetch the cluster ({@code PeerTransportProvider.request}). Must not block;
 * thread-safe.
 */
@FunctionalInterface
public interface RemotePeers {

    /**
     * Calls {@code method} on the first of {@code peerUrls} that answers.
     *
     * @param timeoutMs how long to wait for the answer, in ms, over all URLs
     * @return the encoded answer, or a failure
     */
    CompletableFuture<byte[]> request(List<URI> peerUrls, String method, byte[] body, long timeoutMs);
}
