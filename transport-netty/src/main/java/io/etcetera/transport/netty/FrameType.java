package io.etcetera.transport.netty;

/**
 * The kinds of frame on a peer connection, with their one-byte wire codes. See {@link Frame} for
 * the layout of each body.
 */
enum FrameType {
    /** Dialer to acceptor, first frame: protocol version, connection kind, cluster id, from, to. */
    HELLO(1),
    /** Acceptor to dialer: the handshake is accepted. Empty body. */
    HELLO_OK(2),
    /** Acceptor to dialer: the handshake is refused; UTF-8 reason. The acceptor then closes. */
    REJECT(3),
    /** Dialer to acceptor on a stream connection: one Raft message, opaque bytes. */
    MESSAGE(4),
    /** Dialer to acceptor: a round-trip probe carrying the dialer's 8-byte clock reading. */
    PING(5),
    /** Acceptor to dialer: the probe's 8 bytes echoed. */
    PONG(6),
    /** Dialer to acceptor on a snapshot connection: 8-byte data size, then the metadata bytes. */
    SNAPSHOT_BEGIN(7),
    /** Dialer to acceptor: the next bytes of snapshot data. */
    SNAPSHOT_CHUNK(8),
    /** Dialer to acceptor: 4-byte CRC32C of all the snapshot data; no more data follows. */
    SNAPSHOT_END(9),
    /** Acceptor to dialer: 1-byte outcome (0 stored, 1 failed), then a UTF-8 reason. */
    SNAPSHOT_ACK(10),
    /** Dialer to acceptor on a request connection: 8-byte request id, method, then the request bytes. */
    REQUEST(11),
    /** Acceptor to dialer: 8-byte request id, 1-byte outcome (0 answered, 1 failed), then the response or reason. */
    RESPONSE(12);

    private static final FrameType[] BY_CODE = new FrameType[13];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    final byte code;

    FrameType(int code) {
        this.code = (byte) code;
    }

    /**
     * The type with wire code {@code code}.
     *
     * @throws ProtocolException when no type has that code
     */
    static FrameType of(byte code) {
        if (code <= 0 || code >= BY_CODE.length) {
            throw new ProtocolException("unknown frame type " + code);
        }
        return BY_CODE[code];
    }
}
