package io.etcetera.spi.transport;

import java.io.IOException;
import java.io.InputStream;

/**
 * The kernel's side of a peer transport (etcd's {@code rafthttp.Raft}): inbound Raft messages and
 * snapshots, and the outcome of outbound ones.
 *
 * <p>Threading: {@link #onMessage}, {@link #unreachable}, {@link #snapshotStatus} and
 * {@link #isRemoved} are called on the transport's I/O threads. All but {@link #onMessage} must
 * not block (hand the event to the Raft loop's queue). {@link #onMessage} may do the Raft loop's
 * work for the message on the calling thread when the loop is idle — step it, persist with a WAL
 * fsync, send the answer through {@link PeerTransport#send} — so it may take as long as an fsync
 * (about a millisecond; longer only when the apply loop pushes back); a transport must tolerate
 * that on the calling thread and may call {@link PeerTransport#send} re-entrantly from it.
 * {@link #onSnapshot} is called on a transport snapshot thread and may block while it reads.
 * Implementations must be thread-safe.
 */
public interface PeerHandler {

    /**
     * A Raft message from peer {@code from}, as sent by its {@link PeerTransport#send}. Messages
     * of one sender arrive in the order it sent them while its connection lasts; some may be
     * missing (dropped by a full queue or lost with a connection) and, around a reconnect, a few
     * reordered, which Raft tolerates.
     *
     * @param from the sender's member id, authenticated by the connection's handshake
     * @param message the encoded {@code raftpb.Message}; owned by the handler
     */
    void onMessage(long from, byte[] message);

    /**
     * A snapshot streamed by peer {@code from} (etcd's {@code MsgSnap} plus the backend file).
     * Read {@code data} to its end: the sender is told of success only when this method returns
     * normally after {@code data} reported end of stream. The stream is verified: it throws
     * {@link IOException} on a truncated or damaged transfer (size or CRC32C mismatch), on a
     * lost connection, or when no data arrives for {@link TransportLimits#snapshotStallTimeoutMs()}.
     *
     * @param from the sender's member id
     * @param metadata the bytes the sender passed in {@link SnapshotPayload#metadata()} (the
     *     encoded {@code raftpb.Message} of type {@code MsgSnap})
     * @param data the backend bytes, {@link SnapshotPayload#sizeBytes()} of them
     * @throws IOException when the stream fails or the snapshot cannot be stored; the sender is
     *     told of failure
     */
    void onSnapshot(long from, byte[] metadata, InputStream data) throws IOException;

    /**
     * Peer {@code memberId} could not be reached: a message to it was dropped (full queue, failed
     * write) or a dial or handshake failed. The kernel calls Raft's {@code ReportUnreachable}.
     * May be called often; must be cheap.
     */
    void unreachable(long memberId);

    /**
     * The outcome of {@link PeerTransport#sendSnapshot} to {@code memberId}: called exactly once
     * per snapshot sent. The kernel calls Raft's {@code ReportSnapshot}.
     */
    void snapshotStatus(long memberId, SnapshotStatus status);

    /**
     * Whether {@code memberId} was removed from the cluster; a removed member's connections are
     * refused with {@code removed member}, as etcd's {@code IsIDRemoved} check.
     */
    boolean isRemoved(long memberId);
}
