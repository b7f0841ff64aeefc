package io.etcetera.spi.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A running peer transport (etcd's {@code rafthttp.Transport}): it listens on the peer URLs,
 * keeps a connection to every added peer, and carries Raft messages and snapshots between
 * members. Thread-safe; {@link #send} and {@link #sendSnapshot} never block, so the Raft loop
 * may call them directly.
 */
public interface PeerTransport extends AutoCloseable {

    /**
     * Binds the listen peer URLs and starts serving peers.
     *
     * @throws IOException when a URL cannot be bound (port in use, bad address, unsupported scheme)
     * @throws IllegalStateException when already started or closed
     */
    void start() throws IOException;

    /** The addresses actually bound, in the order of the listen URLs (port 0 resolved). */
    List<InetSocketAddress> boundAddresses();

    /**
     * Adds peer {@code memberId}, reachable at {@code peerUrls} (its advertised peer URLs, tried
     * in turn), and starts connecting to it. Connections from it are accepted only once added.
     * Adding a known peer changes nothing.
     *
     * @throws IllegalArgumentException when {@code peerUrls} is empty, names an unsupported
     *     scheme, or {@code memberId} is this member or 0
     */
    void addPeer(long memberId, List<URI> peerUrls);

    /**
     * Replaces the URLs of peer {@code memberId}; the next dial uses them. Unknown peers are ignored.
     *
     * @throws IllegalArgumentException as {@link #addPeer}
     */
    void updatePeer(long memberId, List<URI> peerUrls);

    /**
     * Removes peer {@code memberId}: drops its queued messages, closes its connections and fails
     * its outbound snapshots. Unknown peers are ignored.
     */
    void removePeer(long memberId);

    /**
     * Queues {@code message} for peer {@code to} and returns at once. Messages to one peer are
     * written in the order sent, batched into few flushes. When the peer's queue holds
     * {@link TransportLimits#maxQueuedMessagesPerPeer()} messages the message is dropped and
     * {@link PeerHandler#unreachable} is called. Messages to unknown peers, and any sent before
     * {@link #start()}, are dropped silently (etcd ignores messages to unknown peers too).
     *
     * @param message the encoded {@code raftpb.Message}; must not be changed afterwards
     * @throws IllegalArgumentException when the message exceeds {@link TransportLimits#maxMessageBytes()}
     */
    void send(long to, byte[] message);

    /**
     * Starts streaming {@code snapshot} to peer {@code to} on its own connection and returns at
     * once; {@link PeerHandler#snapshotStatus} reports the outcome exactly once (on a transport
     * thread, also when the peer is unknown or too many transfers are in flight).
     */
    void sendSnapshot(long to, SnapshotPayload snapshot);

    /**
     * Sends request {@code method} to peer {@code to} and returns at once; the peer's
     * {@link PeerRequestHandler} answers it. Never blocks.
     *
     * @param timeoutMs how long to wait for the answer, in ms
     * @return the peer's encoded response; fails with {@link PeerRequestException} when the peer
     *     answered with an error ({@link PeerRequestException#remote()} true), or when the peer
     *     is unknown or unreachable, the connection is lost or the timeout passes (false)
     */
    java.util.concurrent.CompletableFuture<byte[]> request(long to, String method, byte[] body, long timeoutMs);

    /** What is known of peer {@code memberId}; empty when it is not a peer. */
    Optional<PeerStatus> status(long memberId);

    /**
     * Stops listening, closes every connection, fails snapshots in flight and stops the threads;
     * the ports are free when it returns. Idempotent.
     */
    @Override
    void close();
}
