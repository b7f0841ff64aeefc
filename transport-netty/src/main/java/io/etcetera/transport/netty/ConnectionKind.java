package io.etcetera.transport.netty;

/** What a peer connection carries, declared by the dialer in its {@link FrameType#HELLO}. */
enum ConnectionKind {
    /** Raft messages and round-trip probes from the dialer, for the whole life of the connection. */
    STREAM(1),
    /** One snapshot from the dialer, then the acceptor's acknowledgement; then it is closed. */
    SNAPSHOT(2),
    /**
     * Request/response calls from the dialer ({@code PeerTransport.request}), answered in any
     * order, for the whole life of the connection. With cluster id 0 and sender 0 it is a caller
     * that is not a member yet: it may make requests only.
     */
    REQUEST(3);

    final byte code;

    ConnectionKind(int code) {
        this.code = (byte) code;
    }

    /** @throws ProtocolException when no kind has that code */
    static ConnectionKind of(byte code) {
        for (ConnectionKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new ProtocolException("unknown connection kind " + code);
    }
}
