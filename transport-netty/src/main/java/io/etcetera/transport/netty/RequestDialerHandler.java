package io.etcetera.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * The dialer's end of a request connection: sends the handshake, then hands the acceptor's
 * answers to the {@link RequestClient}; anything else is a protocol error. Runs on the client's
 * event loop.
 */
final class RequestDialerHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final RequestClient client;

    RequestDialerHandler(RequestClient client) {
        this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client.onConnected(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        FrameType type = Frame.readType(frame);
        switch (type) {
            case HELLO_OK -> client.onAccepted(ctx.channel());
            case REJECT -> client.onRejected(ctx.channel(), Frame.readText(frame));
            case RESPONSE -> {
                long id = Frame.readResponseId(frame);
                boolean ok = Frame.readResponseOk(frame);
                client.onResponse(id, ok, ByteBufUtil.getBytes(frame));
            }
            default -> throw new ProtocolException("unexpected " + type + " on a request connection from its acceptor");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        client.fail(ctx.channel(), String.valueOf(cause.getMessage()));
    }
}
