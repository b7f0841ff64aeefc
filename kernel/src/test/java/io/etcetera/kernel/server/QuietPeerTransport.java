package io.etcetera.kernel.server;

import io.etcetera.spi.transport.PeerRequestException;
import io.etcetera.spi.transport.PeerStatus;
import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.SnapshotPayload;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A transport for kernel tests that binds nothing and reaches nobody: messages and snapshots
 * vanish, peer requests fail as unreachable. Tests override what they observe.
 */
abstract class QuietPeerTransport implements PeerTransport {

    @Override
    public void start() {
    }

    @Override
    public List<InetSocketAddress> boundAddresses() {
        return List.of();
    }

    @Override
    public void addPeer(long memberId, List<URI> peerUrls) {
    }

    @Override
    public void updatePeer(long memberId, List<URI> peerUrls) {
    }

    @Override
    public void removePeer(long memberId) {
    }

    @Override
    public void send(long to, byte[] message) {
    }

    @Override
    public void sendSnapshot(long to, SnapshotPayload snapshot) {
    }

    @Override
    public CompletableFuture<byte[]> request(long to, String method, byte[] body, long timeoutMs) {
        return CompletableFuture.failedFuture(new PeerRequestException("dial: connection refused", false, null));
    }

    @Override
    public Optional<PeerStatus> status(long memberId) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
