package io.etcetera.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * The dialer's end of a stream connection: sends the handshake, then takes the acceptor's answer
 * and its probe echoes; everything else is a protocol error. Runs on the peer's event loop.
 */
final class StreamDialerHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Peer peer;
    private final Hello hello;

    StreamDialerHandler(Peer peer, Hello hello) {
        this.peer = peer;
        this.hello = hello;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        peer.onConnected(ctx.channel(), hello);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        FrameType type = Frame.readType(frame);
        switch (type) {
            case HELLO_OK -> peer.onAccepted(ctx.channel());
            case REJECT -> peer.onRejected(ctx.channel(), Frame.readText(frame));
            case PONG -> peer.onPong(Frame.readClock(frame));
            default -> throw new ProtocolException("unexpected " + type + " on a stream from its acceptor");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.onWritable(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        peer.fail(ctx.channel(), String.valueOf(cause.getMessage()));
    }
}
