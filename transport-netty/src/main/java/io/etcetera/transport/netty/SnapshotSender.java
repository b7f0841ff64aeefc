package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerHandler;
import io.etcetera.spi.transport.SnapshotPayload;
import io.etcetera.spi.transport.SnapshotStatus;
import io.etcetera.spi.transport.TransportLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Streams one snapshot to one peer on a connection of its own (etcd's {@code snapshotSender}),
 * on a transport snapshot thread: handshake, {@code SNAPSHOT_BEGIN}, chunks read from the
 * payload's stream, {@code SNAPSHOT_END} with the CRC32C, then the receiver's acknowledgement.
 * At most {@link #MAX_CHUNKS_IN_FLIGHT} chunks are buffered at once, so memory stays constant
 * whatever the snapshot's size. Reports the outcome exactly once. Not thread-safe; one per transfer.
 */
final class SnapshotSender implements Runnable {
    private static final System.Logger LOG = System.getLogger(SnapshotSender.class.getName());

    /** Chunks written but not yet handed to the socket. */
    static final int MAX_CHUNKS_IN_FLIGHT = 4;

    private final Peer peer;
    private final Hello hello;
    private final SnapshotPayload payload;
    private final PeerHandler handler;
    private final TransportLimits limits;
    private final BiFunction<InetSocketAddress, SnapshotDialerHandler, ChannelFuture> dialer;
    private final Consumer<SnapshotSender> onDone;
    private final Semaphore chunksInFlight = new Semaphore(MAX_CHUNKS_IN_FLIGHT);
    private volatile Throwable writeFailure;
    private volatile Channel channel;

    SnapshotSender(Peer peer, Hello hello, SnapshotPayload payload, PeerHandler handler, TransportLimits limits,
                   BiFunction<InetSocketAddress, SnapshotDialerHandler, ChannelFuture> dialer,
                   Consumer<SnapshotSender> onDone) {
        this.peer = peer;
        this.hello = hello;
        this.payload = payload;
        this.handler = handler;
        this.limits = limits;
        this.dialer = dialer;
        this.onDone = onDone;
    }

    /** The receiving peer's member id. */
    long memberId() {
        return peer.memberId();
    }

    /** Fails the transfer from another thread (peer removed, transport closing) by closing its connection. */
    void abort() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void run() {
        SnapshotStatus status = SnapshotStatus.FAILURE;
        try {
            transfer();
            status = SnapshotStatus.FINISH;
            LOG.log(Level.INFO, "sent a snapshot of {0} bytes to peer {1}", payload.sizeBytes(), Peer.hex(peer.memberId()));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "failed to send a snapshot to peer {0}: {1}", Peer.hex(peer.memberId()), e.getMessage());
            peer.reportUnreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "snapshot to peer {0} interrupted", Peer.hex(peer.memberId()));
        } finally {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            onDone.accept(this);
            handler.snapshotStatus(peer.memberId(), status);
        }
    }

    private void transfer() throws IOException, InterruptedException {
        SnapshotDialerHandler answers = new SnapshotDialerHandler();
        InetSocketAddress address = peer.addresses().get(0);
        ChannelFuture connect = dialer.apply(address, answers);
        channel = connect.channel();
        await(connect, limits.dialTimeoutMs(), "dial " + PeerUrls.describe(address));
        Channel ch = connect.channel();
        ch.writeAndFlush(Frame.hello(ch.alloc(), hello), ch.voidPromise());
        await(answers.accepted, limits.dialTimeoutMs(), "handshake");
        ch.writeAndFlush(Frame.snapshotBegin(ch.alloc(), payload.sizeBytes(), payload.metadata()), ch.voidPromise());
        int crc32c = streamData(ch);
        ch.writeAndFlush(Frame.snapshotEnd(ch.alloc(), crc32c), ch.voidPromise());
        SnapshotDialerHandler.Ack ack = await(answers.acknowledged, limits.snapshotStallTimeoutMs(), "acknowledgement");
        if (!ack.stored()) {
            throw new IOException("the peer did not store the snapshot: " + ack.reason());
        }
    }

    /** Writes the payload's bytes as chunks; returns their CRC32C. */
    private int streamData(Channel ch) throws IOException, InterruptedException {
        CRC32C crc = new CRC32C();
        long sentBytes = 0;
        int chunkBytes = limits.snapshotChunkBytes();
        byte[] buffer = new byte[chunkBytes];
        try (InputStream in = payload.data().open()) {
            while (true) {
                int n = in.readNBytes(buffer, 0, chunkBytes);
                if (n == 0) {
                    break;
                }
                sentBytes += n;
                if (sentBytes > payload.sizeBytes()) {
                    throw new IOException("the snapshot source yields more than its " + payload.sizeBytes() + " bytes");
                }
                crc.update(buffer, 0, n);
                writeChunk(ch, buffer, n);
            }
        }
        if (sentBytes != payload.sizeBytes()) {
            throw new IOException("the snapshot source yielded " + sentBytes + " of its " + payload.sizeBytes() + " bytes");
        }
        return (int) crc.getValue();
    }

    private void writeChunk(Channel ch, byte[] data, int length) throws IOException, InterruptedException {
        if (!chunksInFlight.tryAcquire(limits.snapshotStallTimeoutMs(), TimeUnit.MILLISECONDS)) {
            throw new IOException("snapshot stalled: the peer read nothing for " + limits.snapshotStallTimeoutMs() + " ms");
        }
        Throwable failure = writeFailure;
        if (failure != null || !ch.isActive()) {
            chunksInFlight.release();
            throw new IOException("connection lost while sending: " + (failure == null ? "closed" : failure.getMessage()));
        }
        ByteBuf frame = Frame.snapshotChunkHeader(ch.alloc(), length).writeBytes(data, 0, length);
        ch.writeAndFlush(Frame.sealLength(frame)).addListener(f -> {
            if (!f.isSuccess()) {
                writeFailure = f.cause();
            }
            chunksInFlight.release();
        });
    }

    private static <T> T await(Future<T> future, long timeoutMs, String step) throws IOException, InterruptedException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(step + " timed out after " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            throw new IOException(step + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
