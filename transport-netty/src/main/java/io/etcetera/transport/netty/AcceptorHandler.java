package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The acceptor's end of one peer connection: checks the dialer's handshake, then delivers its
 * Raft messages and answers its probes (stream), answers its requests (request), or receives
 * its snapshot and acknowledges it (snapshot). One instance per connection; runs on the connection's event loop.
 */
final class AcceptorHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final System.Logger LOG = System.getLogger(AcceptorHandler.class.getName());

    private enum State { AWAIT_HELLO, STREAM, REQUESTS, AWAIT_SNAPSHOT_BEGIN, SNAPSHOT_DATA, SNAPSHOT_DONE }

    /** Requests on one connection the handler may be answering at once; more are failed at once. */
    static final int MAX_REQUESTS_IN_FLIGHT = RequestClient.MAX_PENDING_REQUESTS;

    private final Inbound inbound;
    private State state = State.AWAIT_HELLO;
    private long from;
    private ScheduledFuture<?> helloTimeout;
    private ReceivedSnapshot snapshot;
    private int requestsInFlight;

    AcceptorHandler(Inbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeoutMs = inbound.limits().dialTimeoutMs();
        helloTimeout = ctx.executor().schedule(() -> {
            LOG.log(Level.WARNING, "closing peer connection from {0}: no handshake within {1} ms",
                    ctx.channel().remoteAddress(), timeoutMs);
            ctx.close();
        }, timeoutMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        FrameType type = Frame.readType(frame);
        switch (state) {
            case AWAIT_HELLO -> onHello(ctx, type, frame);
            case STREAM -> onStreamFrame(ctx, type, frame);
            case REQUESTS -> onRequest(ctx, type, frame);
            case AWAIT_SNAPSHOT_BEGIN -> onSnapshotBegin(ctx, type, frame);
            case SNAPSHOT_DATA -> onSnapshotData(type, frame);
            case SNAPSHOT_DONE -> throw new ProtocolException("unexpected " + type + " after the snapshot's end");
        }
    }

    private void onHello(ChannelHandlerContext ctx, FrameType type, ByteBuf frame) {
        if (type != FrameType.HELLO) {
            throw new ProtocolException("expected HELLO, got " + type);
        }
        helloTimeout.cancel(false);
        Hello hello = Hello.readBody(frame);
        Optional<String> refusal = inbound.refusal(hello);
        if (refusal.isEmpty() && hello.kind() == ConnectionKind.SNAPSHOT && !inbound.tryReserveSnapshot(ctx.channel())) {
            refusal = Optional.of("too many snapshots in flight");
        }
        if (refusal.isPresent()) {
            LOG.log(Level.WARNING, "refused {0} connection from member {1} at {2}: {3}", hello.kind(),
                    Peer.hex(hello.from()), ctx.channel().remoteAddress(), refusal.get());
            ctx.writeAndFlush(Frame.reject(ctx.alloc(), refusal.get())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        from = hello.from();
        state = switch (hello.kind()) {
            case STREAM -> {
                inbound.registerStream(from, ctx.channel());
                yield State.STREAM;
            }
            case REQUEST -> State.REQUESTS;
            case SNAPSHOT -> State.AWAIT_SNAPSHOT_BEGIN;
        };
        ctx.writeAndFlush(Frame.helloOk(ctx.alloc()), ctx.voidPromise());
    }

    private void onStreamFrame(ChannelHandlerContext ctx, FrameType type, ByteBuf frame) {
        switch (type) {
            case MESSAGE -> inbound.handler().onMessage(from, ByteBufUtil.getBytes(frame));
            case PING -> ctx.writeAndFlush(Frame.pong(ctx.alloc(), Frame.readClock(frame)), ctx.voidPromise());
            default -> throw new ProtocolException("unexpected " + type + " on a stream");
        }
    }

    /**
     * Hands a request to the kernel's {@code PeerRequestHandler} and writes its answer, or its
     * failure message, when the future completes (on whatever thread completes it).
     */
    private void onRequest(ChannelHandlerContext ctx, FrameType type, ByteBuf frame) {
        if (type != FrameType.REQUEST) {
            throw new ProtocolException("unexpected " + type + " on a request connection");
        }
        Frame.InboundRequest request = Frame.readRequest(frame);
        byte[] body = ByteBufUtil.getBytes(frame);
        Channel ch = ctx.channel();
        if (requestsInFlight >= MAX_REQUESTS_IN_FLIGHT) {
            ch.writeAndFlush(Frame.responseError(ch.alloc(), request.id(),
                    "too many peer requests in flight (" + MAX_REQUESTS_IN_FLIGHT + ")"));
            return;
        }
        requestsInFlight++;
        CompletableFuture<byte[]> answer;
        try {
            answer = Objects.requireNonNull(inbound.requests().onRequest(from, request.method(), body),
                    "the request handler returned no future");
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> answerOnLoop(ch, request, response, failure));
    }

    private void answerOnLoop(Channel ch, Frame.InboundRequest request, byte[] response, Throwable failure) {
        try {
            ch.eventLoop().execute(() -> {
                requestsInFlight--;
                if (ch.isActive()) {
                    ch.writeAndFlush(responseFrame(ch, request, response, failure));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "dropping the answer to peer request {0}: transport closing", request.method());
        }
    }

    private ByteBuf responseFrame(Channel ch, Frame.InboundRequest request, byte[] response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
            if (!(cause instanceof PeerRequestException)) {
                LOG.log(Level.WARNING, "peer request {0} from {1} failed: {2}", request.method(), Peer.hex(from), reason);
            }
            return Frame.responseError(ch.alloc(), request.id(), reason);
        }
        if (response == null || response.length > inbound.limits().maxMessageBytes()) {
            return Frame.responseError(ch.alloc(), request.id(), response == null
                    ? "no response to " + request.method()
                    : "response of " + response.length + " bytes exceeds " + inbound.limits().maxMessageBytes() + " bytes");
        }
        return Frame.responseOk(ch.alloc(), request.id(), response);
    }

    private void onSnapshotBegin(ChannelHandlerContext ctx, FrameType type, ByteBuf frame) {
        if (type != FrameType.SNAPSHOT_BEGIN || frame.readableBytes() < Long.BYTES) {
            throw new ProtocolException("expected SNAPSHOT_BEGIN, got " + type);
        }
        long sizeBytes = frame.readLong();
        byte[] metadata = ByteBufUtil.getBytes(frame);
        Channel ch = ctx.channel();
        snapshot = new ReceivedSnapshot(ch, sizeBytes, inbound.limits().snapshotStallTimeoutMs());
        state = State.SNAPSHOT_DATA;
        ReceivedSnapshot data = snapshot;
        long sender = from;
        LOG.log(Level.INFO, "receiving a snapshot of {0} bytes from peer {1}", sizeBytes, Peer.hex(sender));
        try {
            inbound.snapshotExecutor().execute(() -> deliver(ch, sender, metadata, data));
        } catch (RejectedExecutionException e) {
            ctx.writeAndFlush(Frame.snapshotAck(ctx.alloc(), false, "transport closing"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** On a snapshot thread: hands the stream to the kernel, then tells the sender how it went. */
    private void deliver(Channel ch, long sender, byte[] metadata, ReceivedSnapshot data) {
        String failure = null;
        try (data) {
            inbound.handler().onSnapshot(sender, metadata, data);
            if (!data.verifiedEnd()) {
                failure = "the receiver did not read the snapshot to its end";
            }
        } catch (IOException | RuntimeException e) {
            failure = String.valueOf(e.getMessage());
        }
        if (failure == null) {
            LOG.log(Level.INFO, "received a snapshot from peer {0}", Peer.hex(sender));
        } else {
            LOG.log(Level.WARNING, "failed to receive a snapshot from peer {0}: {1}", Peer.hex(sender), failure);
        }
        ch.writeAndFlush(Frame.snapshotAck(ch.alloc(), failure == null, failure == null ? "" : failure));
    }

    private void onSnapshotData(FrameType type, ByteBuf frame) {
        switch (type) {
            case SNAPSHOT_CHUNK -> snapshot.onChunk(ByteBufUtil.getBytes(frame));
            case SNAPSHOT_END -> {
                if (frame.readableBytes() != Integer.BYTES) {
                    throw new ProtocolException("bad SNAPSHOT_END body");
                }
                snapshot.onEnd(frame.readInt());
                state = State.SNAPSHOT_DONE;
            }
            default -> throw new ProtocolException("unexpected " + type + " in a snapshot");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (state == State.SNAPSHOT_DATA) {
            snapshot.onFailure("connection closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.WARNING, "closing peer connection from {0} (member {1}): {2}", ctx.channel().remoteAddress(),
                from == 0 ? "unknown" : Peer.hex(from), cause.getMessage());
        if (state == State.SNAPSHOT_DATA) {
            snapshot.onFailure(String.valueOf(cause.getMessage()));
        }
        ctx.close();
    }
}
