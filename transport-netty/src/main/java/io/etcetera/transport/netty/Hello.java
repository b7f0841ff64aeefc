package io.etcetera.transport.netty;

import io.netty.buffer.ByteBuf;

/**
 * The handshake a dialer sends first: who it is, whom it means and in which cluster. It takes
 * the place of etcd's {@code X-Etcd-Cluster-ID}, {@code X-Server-From} and {@code X-Raft-To}
 * headers.
 *
 * @param version the wire protocol version, {@link #PROTOCOL_VERSION}
 * @param kind what the connection will carry
 * @param clusterId the dialer's cluster id
 * @param from the dialer's member id
 * @param to the member id the dialer means to reach
 */
record Hello(int version, ConnectionKind kind, long clusterId, long from, long to) {

    /** The wire protocol version this module speaks. */
    static final int PROTOCOL_VERSION = 1;
    /** "ETCT": first four bytes of every HELLO body, so a stray client is told apart at once. */
    static final int MAGIC = 0x45544354;
    /** Bytes of a HELLO body: magic, version, kind, cluster id, from, to. */
    static final int BODY_BYTES = 4 + 1 + 1 + 8 + 8 + 8;

    void writeBody(ByteBuf out) {
        out.writeInt(MAGIC).writeByte(version).writeByte(kind.code)
                .writeLong(clusterId).writeLong(from).writeLong(to);
    }

    /** @throws ProtocolException when the body is not a HELLO of this protocol */
    static Hello readBody(ByteBuf body) {
        if (body.readableBytes() != BODY_BYTES || body.readInt() != MAGIC) {
            throw new ProtocolException("not an etcetera peer handshake");
        }
        int version = body.readUnsignedByte();
        return new Hello(version, ConnectionKind.of(body.readByte()), body.readLong(), body.readLong(), body.readLong());
    }
}
