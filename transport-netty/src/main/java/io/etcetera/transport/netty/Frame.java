package io.etcetera.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The frame format of peer connections, and builders for each frame.
 *
 * <pre>
 * frame  = length:u32 type:u8 body      big-endian; length counts type and body
 * HELLO          magic:u32 "ETCT" version:u8 kind:u8 clusterId:u64 from:u64 to:u64
 * HELLO_OK       (empty)
 * REJECT         reason:utf8
 * MESSAGE        raft message bytes
 * PING, PONG     clock:u64 (the dialer's System.nanoTime, echoed)
 * SNAPSHOT_BEGIN size:u64 metadata bytes
 * SNAPSHOT_CHUNK data bytes
 * SNAPSHOT_END   crc32c:u32 over all data bytes
 * SNAPSHOT_ACK   outcome:u8 (0 stored, 1 failed) reason:utf8
 * REQUEST        id:u64 methodLength:u8 method:utf8 request bytes
 * RESPONSE       id:u64 outcome:u8 (0 answered, 1 failed) response bytes, or reason:utf8 when failed
 * </pre>
 *
 * Frames carry no checksum of their own: Raft messages rely on TCP's, as etcd's {@code rafthttp}
 * does. A snapshot, whose damage would persist in the receiver's backend, is checked end to end
 * with CRC32C (etcd appends a SHA-256 to its snapshot file for the same reason). Stateless;
 * thread-safe.
 */
final class Frame {
    /** Bytes of the length prefix. */
    static final int LENGTH_BYTES = 4;
    /** Bytes of the type. */
    static final int TYPE_BYTES = 1;
    /** The longest request method name, in UTF-8 bytes (its length is one byte on the wire). */
    static final int MAX_METHOD_BYTES = 255;
    /** Room above a message, chunk or request body for the fixed parts of any body, method name included. */
    private static final int BODY_OVERHEAD_BYTES = 64 + MAX_METHOD_BYTES;

    private Frame() {
    }

    /** The decoder that splits a connection's bytes into frames of type plus body. */
    static LengthFieldBasedFrameDecoder decoder(int maxFrameBytes) {
        return new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES);
    }

    /** The largest frame (type and body) a connection accepts under these sizes, in bytes. */
    static int maxFrameBytes(int maxMessageBytes, int snapshotChunkBytes) {
        return Math.max(maxMessageBytes, snapshotChunkBytes) + TYPE_BYTES + BODY_OVERHEAD_BYTES;
    }

    static ByteBuf hello(ByteBufAllocator alloc, Hello hello) {
        ByteBuf out = header(alloc, FrameType.HELLO, Hello.BODY_BYTES);
        hello.writeBody(out);
        return out;
    }

    static ByteBuf helloOk(ByteBufAllocator alloc) {
        return header(alloc, FrameType.HELLO_OK, 0);
    }

    static ByteBuf reject(ByteBufAllocator alloc, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return header(alloc, FrameType.REJECT, text.length).writeBytes(text);
    }

    static ByteBuf message(ByteBufAllocator alloc, byte[] message) {
        return header(alloc, FrameType.MESSAGE, message.length).writeBytes(message);
    }

    static ByteBuf ping(ByteBufAllocator alloc, long clock) {
        return header(alloc, FrameType.PING, Long.BYTES).writeLong(clock);
    }

    static ByteBuf pong(ByteBufAllocator alloc, long clock) {
        return header(alloc, FrameType.PONG, Long.BYTES).writeLong(clock);
    }

    static ByteBuf snapshotBegin(ByteBufAllocator alloc, long sizeBytes, byte[] metadata) {
        return header(alloc, FrameType.SNAPSHOT_BEGIN, Long.BYTES + metadata.length)
                .writeLong(sizeBytes).writeBytes(metadata);
    }

    /** A chunk frame with room for {@code capacityBytes} of data, which the caller writes after the header. */
    static ByteBuf snapshotChunkHeader(ByteBufAllocator alloc, int capacityBytes) {
        return alloc.buffer(LENGTH_BYTES + TYPE_BYTES + capacityBytes)
                .writeInt(0).writeByte(FrameType.SNAPSHOT_CHUNK.code);
    }

    /** Sets the length prefix of a frame whose body was written after {@link #snapshotChunkHeader}. */
    static ByteBuf sealLength(ByteBuf frame) {
        return frame.setInt(frame.readerIndex(), frame.readableBytes() - LENGTH_BYTES);
    }

    static ByteBuf snapshotEnd(ByteBufAllocator alloc, int crc32c) {
        return header(alloc, FrameType.SNAPSHOT_END, Integer.BYTES).writeInt(crc32c);
    }

    static ByteBuf snapshotAck(ByteBufAllocator alloc, boolean stored, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return header(alloc, FrameType.SNAPSHOT_ACK, 1 + text.length).writeByte(stored ? 0 : 1).writeBytes(text);
    }

    /** A request frame; {@code method} must be at most {@link #MAX_METHOD_BYTES} in UTF-8. */
    static ByteBuf request(ByteBufAllocator alloc, long id, byte[] method, byte[] body) {
        return header(alloc, FrameType.REQUEST, Long.BYTES + 1 + method.length + body.length)
                .writeLong(id).writeByte(method.length).writeBytes(method).writeBytes(body);
    }

    /** A response frame carrying the handler's answer. */
    static ByteBuf responseOk(ByteBufAllocator alloc, long id, byte[] response) {
        return header(alloc, FrameType.RESPONSE, Long.BYTES + 1 + response.length)
                .writeLong(id).writeByte(0).writeBytes(response);
    }

    /** A response frame carrying the handler's failure message. */
    static ByteBuf responseError(ByteBufAllocator alloc, long id, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return header(alloc, FrameType.RESPONSE, Long.BYTES + 1 + text.length)
                .writeLong(id).writeByte(1).writeBytes(text);
    }

    /** Reads the id and method of a REQUEST, leaving the request bytes readable. */
    static InboundRequest readRequest(ByteBuf body) {
        if (body.readableBytes() < Long.BYTES + 1) {
            throw new ProtocolException("short REQUEST");
        }
        long id = body.readLong();
        int methodBytes = body.readUnsignedByte();
        if (body.readableBytes() < methodBytes) {
            throw new ProtocolException("REQUEST method overruns the frame");
        }
        String method = body.readCharSequence(methodBytes, StandardCharsets.UTF_8).toString();
        return new InboundRequest(id, method);
    }

    /** The id and method of a REQUEST frame. */
    record InboundRequest(long id, String method) {
    }

    /** Reads the id of a RESPONSE, leaving its outcome and the rest readable. */
    static long readResponseId(ByteBuf body) {
        if (body.readableBytes() < Long.BYTES + 1) {
            throw new ProtocolException("short RESPONSE");
        }
        return body.readLong();
    }

    /** Reads the outcome byte of a RESPONSE after its id: true when the request was answered. */
    static boolean readResponseOk(ByteBuf body) {
        return body.readByte() == 0;
    }

    /** Reads a frame's type, leaving the body readable. */
    static FrameType readType(ByteBuf frame) {
        if (!frame.isReadable()) {
            throw new ProtocolException("empty frame");
        }
        return FrameType.of(frame.readByte());
    }

    /** The rest of {@code body} as UTF-8 text. */
    static String readText(ByteBuf body) {
        return body.readCharSequence(body.readableBytes(), StandardCharsets.UTF_8).toString();
    }

    /** Reads an 8-byte body. @throws ProtocolException when the body is not 8 bytes */
    static long readClock(ByteBuf body) {
        if (body.readableBytes() != Long.BYTES) {
            throw new ProtocolException("bad probe body of " + body.readableBytes() + " bytes");
        }
        return body.readLong();
    }

    private static ByteBuf header(ByteBufAllocator alloc, FrameType type, int bodyBytes) {
        return alloc.buffer(LENGTH_BYTES + TYPE_BYTES + bodyBytes).writeInt(TYPE_BYTES + bodyBytes).writeByte(type.code);
    }
}
