package io.etcetera.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The dialer's end of a snapshot connection: completes {@link #accepted} with the handshake's
 * answer and {@link #acknowledged} with the receiver's verdict; a lost connection fails both.
 * Runs on the connection's event loop; the futures are read by the sending thread.
 */
final class SnapshotDialerHandler extends SimpleChannelInboundHandler<ByteBuf> {

    /** The receiver's verdict on a snapshot: stored, or why not. */
    record Ack(boolean stored, String reason) {
    }

    /** Completes when the acceptor accepts the handshake; fails with its refusal. */
    final CompletableFuture<Void> accepted = new CompletableFuture<>();
    /** Completes with the receiver's verdict once it has read the snapshot. */
    final CompletableFuture<Ack> acknowledged = new CompletableFuture<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        FrameType type = Frame.readType(frame);
        switch (type) {
            case HELLO_OK -> accepted.complete(null);
            case REJECT -> accepted.completeExceptionally(
                    new IOException("the peer refused the connection: " + Frame.readText(frame)));
            case SNAPSHOT_ACK -> {
                if (!frame.isReadable()) {
                    throw new ProtocolException("empty SNAPSHOT_ACK");
                }
                boolean stored = frame.readByte() == 0;
                acknowledged.complete(new Ack(stored, Frame.readText(frame)));
            }
            default -> throw new ProtocolException("unexpected " + type + " on a snapshot connection");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException closed = new IOException("connection closed");
        accepted.completeExceptionally(closed);
        acknowledged.completeExceptionally(closed);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        accepted.completeExceptionally(cause);
        acknowledged.completeExceptionally(cause);
        ctx.close();
    }
}
