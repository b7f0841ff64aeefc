package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerHandler;
import io.etcetera.spi.transport.PeerStatus;
import io.etcetera.spi.transport.TransportLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound side of one peer (etcd's {@code rafthttp.peer} with its stream writer): a bounded
 * queue of Raft messages and the stream connection that drains it, redialled with bounded
 * exponential backoff and probed for its round-trip time.
 *
 * <p>Thread-safety: {@link #send}, {@link #status} and {@link #updateAddresses} may be called from
 * any thread; everything else runs on the peer's own event loop, which alone touches the
 * connection state (fields below the "event-loop state" line).
 */
final class Peer {
    private static final System.Logger LOG = System.getLogger(Peer.class.getName());

    /** Probes a connection may leave unanswered before it is closed as dead. */
    static final int MAX_UNANSWERED_PINGS = 3;

    private final long memberId;
    private final EventLoop loop;
    private final StreamDialer dialer;
    private final PeerHandler handler;
    private final TransportLimits limits;
    private final ArrayBlockingQueue<byte[]> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean unreachableScheduled = new AtomicBoolean();
    private final AtomicLong sentMessages = new AtomicLong();
    private final AtomicLong sentBatches = new AtomicLong();
    private final AtomicLong droppedMessages = new AtomicLong();
    private volatile List<InetSocketAddress> addresses;
    private volatile boolean active;
    private volatile long roundTripNanos = -1;
    private volatile String lastError;

    // event-loop state
    private final Backoff backoff;
    private int nextAddress;
    private Channel channel;
    private boolean handshaken;
    private long lastPongNanos;
    private ScheduledFuture<?> redial;
    private ScheduledFuture<?> handshakeTimeout;
    private ScheduledFuture<?> prober;
    private boolean closed;

    /** Opens a stream connection to an address for a peer; implemented by the transport. */
    interface StreamDialer {
        ChannelFuture dial(Peer peer, InetSocketAddress address);
    }

    Peer(long memberId, List<InetSocketAddress> addresses, EventLoop loop, StreamDialer dialer,
         PeerHandler handler, TransportLimits limits) {
        this.memberId = memberId;
        this.addresses = addresses;
        this.loop = loop;
        this.dialer = dialer;
        this.handler = handler;
        this.limits = limits;
        this.queue = new ArrayBlockingQueue<>(limits.maxQueuedMessagesPerPeer());
        this.backoff = new Backoff(limits.minReconnectBackoffMs(), limits.maxReconnectBackoffMs());
    }

    long memberId() {
        return memberId;
    }

    /** The event loop that owns this peer's stream connection. */
    EventLoop loop() {
        return loop;
    }

    /** The peer's dial addresses. */
    List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Starts dialling the peer. */
    void start() {
        runOnLoop(this::dial);
    }

    /** Replaces the dial addresses; the connection in use is kept, the next dial uses them. */
    void updateAddresses(List<InetSocketAddress> newAddresses) {
        addresses = newAddresses;
    }

    /** Queues a message without blocking; when the queue is full it is dropped and the peer reported unreachable. */
    void send(byte[] message) {
        if (!queue.offer(message)) {
            droppedMessages.incrementAndGet();
            reportUnreachable();
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            runOnLoop(this::drain);
        }
    }

    /**
     * Tells the handler the peer is unreachable, on the event loop; reports raised while one is
     * pending collapse into it, so a burst of drops costs one callback.
     */
    void reportUnreachable() {
        if (unreachableScheduled.compareAndSet(false, true)) {
            runOnLoop(() -> {
                unreachableScheduled.set(false);
                if (!closed) {
                    handler.unreachable(memberId);
                }
            });
        }
    }

    PeerStatus status() {
        long rtt = roundTripNanos;
        return new PeerStatus(memberId, active, rtt < 0 ? OptionalDouble.empty() : OptionalDouble.of(rtt / 1e6),
                sentMessages.get(), sentBatches.get(), droppedMessages.get(), Optional.ofNullable(lastError));
    }

    /** Stops the peer: drops queued messages, closes the connection, dials no more. */
    void close() {
        runOnLoop(() -> {
            closed = true;
            active = false;
            cancel(redial);
            if (channel != null) {
                channel.close();
            }
            queue.clear();
        });
    }

    private void runOnLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The transport is closing and its event loops are stopping: nothing is left to do.
            LOG.log(Level.DEBUG, "peer {0}: event loop stopped", hex(memberId));
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            queue.clear();
            return;
        }
        if (!handshaken) {
            return;
        }
        Channel ch = channel;
        int written = 0;
        byte[] message;
        while (written < limits.maxBatchMessages() && ch.isWritable() && (message = queue.poll()) != null) {
            ch.write(Frame.message(ch.alloc(), message), ch.voidPromise());
            written++;
        }
        if (written > 0) {
            ch.flush();
            sentMessages.addAndGet(written);
            sentBatches.incrementAndGet();
        }
        if (!queue.isEmpty() && ch.isWritable() && drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    private void dial() {
        redial = null;
        if (closed || channel != null) {
            return;
        }
        List<InetSocketAddress> candidates = addresses;
        InetSocketAddress address = candidates.get(Math.floorMod(nextAddress, candidates.size()));
        ChannelFuture connect = dialer.dial(this, address);
        Channel ch = connect.channel();
        channel = ch;
        ch.closeFuture().addListener(f -> onClosed(ch));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                recordError("dial " + PeerUrls.describe(address) + ": " + f.cause().getMessage());
                ch.close();
            }
        });
    }

    /** The stream connection is open: say hello and wait for the answer a bounded time. */
    void onConnected(Channel ch, Hello hello) {
        ch.writeAndFlush(Frame.hello(ch.alloc(), hello), ch.voidPromise());
        handshakeTimeout = loop.schedule(
                () -> fail(ch, "handshake not answered within " + limits.dialTimeoutMs() + " ms"),
                limits.dialTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /** The peer accepted the handshake: the stream is active. */
    void onAccepted(Channel ch) {
        if (ch != channel) {
            return;
        }
        cancel(handshakeTimeout);
        handshaken = true;
        active = true;
        lastError = null;
        backoff.reset();
        lastPongNanos = System.nanoTime();
        prober = loop.scheduleAtFixedRate(this::probe, limits.pingIntervalMs(), limits.pingIntervalMs(),
                TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "established stream with peer {0} at {1}", hex(memberId), ch.remoteAddress());
        drain();
    }

    /** The peer refused the handshake (etcd: "request sent was ignored by remote peer"). */
    void onRejected(Channel ch, String reason) {
        fail(ch, "peer " + hex(memberId) + " refused the connection: " + reason);
    }

    void onPong(long clock) {
        long now = System.nanoTime();
        roundTripNanos = Math.max(1, now - clock);
        lastPongNanos = now;
    }

    /** The stream's writability changed: drain what queued up while it was not writable. */
    void onWritable(Channel ch) {
        if (ch == channel && ch.isWritable()) {
            drain();
        }
    }

    /** Records why the connection failed and closes it; it is redialled after the backoff. */
    void fail(Channel ch, String reason) {
        if (ch == channel && !closed) {
            recordError(reason);
        }
        ch.close();
    }

    /** Keeps {@code reason} as the last error; logs a warning only when it changes, not on every redial. */
    private void recordError(String reason) {
        Level level = reason.equals(lastError) ? Level.DEBUG : Level.WARNING;
        lastError = reason;
        LOG.log(level, "cannot stream to peer {0}: {1}", hex(memberId), reason);
    }

    private void probe() {
        Channel ch = channel;
        if (ch == null || !handshaken) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPongNanos > TimeUnit.MILLISECONDS.toNanos(MAX_UNANSWERED_PINGS * limits.pingIntervalMs())) {
            fail(ch, "no answer to " + MAX_UNANSWERED_PINGS + " probes");
            return;
        }
        ch.writeAndFlush(Frame.ping(ch.alloc(), now), ch.voidPromise());
    }

    private void onClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        handshaken = false;
        active = false;
        cancel(handshakeTimeout);
        cancel(prober);
        if (closed) {
            return;
        }
        reportUnreachable();
        nextAddress++;
        long waitMs = backoff.next();
        LOG.log(Level.DEBUG, "peer {0}: redial in {1} ms", hex(memberId), waitMs);
        redial = loop.schedule(this::dial, waitMs, TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    static String hex(long memberId) {
        return Long.toHexString(memberId);
    }
}
