package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerRequestException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The caller's side of request/response calls to one peer (etcd's {@code /members} and
 * {@code /leases} HTTP calls on the peer port): one {@link ConnectionKind#REQUEST} connection,
 * dialled when the first request comes and kept while it lives, so that requests never wait
 * behind Raft messages or snapshots. Requests are answered in any order, matched by id.
 *
 * <p>Bounds: at most {@link #MAX_PENDING_REQUESTS} requests wait for an answer; more fail at
 * once. Each request has its own timeout. A connection that cannot be opened or handshaken is
 * retried on the next address, once per address, before the requests waiting for it fail; a
 * connection lost after the handshake fails the requests sent on it (a request is never sent
 * twice, since it may not be idempotent).
 *
 * <p>Thread-safety: {@link #request} and {@link #close} may be called from any thread; all other
 * state is touched only on the client's event loop. Futures complete on that event loop.
 */
final class RequestClient {
    private static final System.Logger LOG = System.getLogger(RequestClient.class.getName());

    /** Requests to one peer waiting for an answer, at most. */
    static final int MAX_PENDING_REQUESTS = 1024;

    /** Opens a request connection to an address, with {@code handler} at the end of its pipeline. */
    interface Dialer {
        ChannelFuture dial(InetSocketAddress address, RequestDialerHandler handler);
    }

    private final String peerName;
    private final EventLoop loop;
    private final Supplier<List<InetSocketAddress>> addresses;
    private final Hello hello;
    private final Dialer dialer;
    private final long handshakeTimeoutMs;
    private final int maxBodyBytes;

    // event-loop state
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private long nextId = 1;
    private int nextAddress;
    private int failedDials;
    private Channel channel;
    private boolean accepted;
    private String closeReason;
    private ScheduledFuture<?> handshakeTimeout;
    private boolean closed;

    /** A request not answered yet. */
    private static final class Pending {
        final long id;
        final String method;
        final byte[] methodBytes;
        final byte[] body;
        final CompletableFuture<byte[]> answer;
        ScheduledFuture<?> timeout;
        boolean sent;

        Pending(long id, String method, byte[] methodBytes, byte[] body, CompletableFuture<byte[]> answer) {
            this.id = id;
            this.method = method;
            this.methodBytes = methodBytes;
            this.body = body;
            this.answer = answer;
        }
    }

    /**
     * @param peerName how errors and logs name the peer ({@code peer 2a} or a URL)
     * @param addresses the peer's dial addresses, read at every dial
     * @param hello the handshake, of kind {@link ConnectionKind#REQUEST}
     * @param handshakeTimeoutMs how long the acceptor may take to answer the handshake, in ms
     * @param maxBodyBytes the largest request body, in bytes
     */
    RequestClient(String peerName, EventLoop loop, Supplier<List<InetSocketAddress>> addresses, Hello hello,
            Dialer dialer, long handshakeTimeoutMs, int maxBodyBytes) {
        this.peerName = peerName;
        this.loop = loop;
        this.addresses = addresses;
        this.hello = hello;
        this.dialer = dialer;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Sends request {@code method} and returns at once. The future fails with
     * {@link PeerRequestException}: remote when the peer's handler failed it (with its message),
     * else when it could not be sent or answered within {@code timeoutMs}.
     */
    CompletableFuture<byte[]> request(String method, byte[] body, long timeoutMs) {
        byte[] methodBytes = method.getBytes(StandardCharsets.UTF_8);
        if (methodBytes.length == 0 || methodBytes.length > Frame.MAX_METHOD_BYTES) {
            return local("request method must be 1 to " + Frame.MAX_METHOD_BYTES + " bytes: " + method);
        }
        if (body.length > maxBodyBytes) {
            return local("request of " + body.length + " bytes exceeds " + maxBodyBytes + " bytes");
        }
        if (timeoutMs <= 0) {
            return local("request timeout must be positive: " + timeoutMs + " ms");
        }
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        try {
            loop.execute(() -> submit(method, methodBytes, body, timeoutMs, answer));
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(failure("the peer transport is closed"));
        }
        return answer;
    }

    /** Fails every waiting request and closes the connection; later requests fail at once. */
    void close() {
        try {
            loop.execute(() -> {
                closed = true;
                failAll(new ArrayList<>(pending.values()), "the peer transport is closed");
                if (channel != null) {
                    channel.close();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "{0}: event loop stopped", peerName);
        }
    }

    private void submit(String method, byte[] methodBytes, byte[] body, long timeoutMs, CompletableFuture<byte[]> answer) {
        if (closed) {
            answer.completeExceptionally(failure("the peer transport is closed"));
            return;
        }
        if (pending.size() >= MAX_PENDING_REQUESTS) {
            answer.completeExceptionally(failure(MAX_PENDING_REQUESTS + " requests to " + peerName
                    + " are already waiting for an answer"));
            return;
        }
        Pending request = new Pending(nextId++, method, methodBytes, body, answer);
        pending.put(request.id, request);
        request.timeout = loop.schedule(() -> {
            if (pending.remove(request.id) != null) {
                request.answer.completeExceptionally(failure("request " + method + " to " + peerName
                        + " not answered within " + timeoutMs + " ms"));
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        if (accepted) {
            write(request);
            channel.flush();
        } else if (channel == null) {
            dial();
        }
    }

    private void write(Pending request) {
        request.sent = true;
        channel.write(Frame.request(channel.alloc(), request.id, request.methodBytes, request.body), channel.voidPromise());
    }

    private void dial() {
        List<InetSocketAddress> candidates = addresses.get();
        InetSocketAddress address = candidates.get(Math.floorMod(nextAddress, candidates.size()));
        closeReason = null;
        ChannelFuture connect = dialer.dial(address, new RequestDialerHandler(this));
        Channel ch = connect.channel();
        channel = ch;
        // A failed connect may close the channel before its own listeners run: take the reason from it here.
        ch.closeFuture().addListener(f -> {
            if (connect.cause() != null) {
                fail(ch, "dial " + PeerUrls.describe(address) + ": " + connect.cause().getMessage());
            }
            onClosed(ch);
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
            }
        });
    }

    /** The connection is open: say hello and wait for the answer a bounded time. */
    void onConnected(Channel ch) {
        ch.writeAndFlush(Frame.hello(ch.alloc(), hello), ch.voidPromise());
        handshakeTimeout = loop.schedule(() -> fail(ch, "handshake not answered within " + handshakeTimeoutMs + " ms"),
                handshakeTimeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The peer accepted the handshake: send everything that waited for it. */
    void onAccepted(Channel ch) {
        if (ch != channel) {
            return;
        }
        cancel(handshakeTimeout);
        accepted = true;
        failedDials = 0;
        pending.values().forEach(this::write);
        ch.flush();
    }

    /** The peer refused the handshake. */
    void onRejected(Channel ch, String reason) {
        fail(ch, peerName + " refused the connection: " + reason);
    }

    /** The peer answered request {@code id}: its response, or its handler's failure message. */
    void onResponse(long id, boolean ok, byte[] payload) {
        Pending request = pending.remove(id);
        if (request == null) {
            return; // timed out already
        }
        cancel(request.timeout);
        if (ok) {
            request.answer.complete(payload);
        } else {
            request.answer.completeExceptionally(
                    new PeerRequestException(new String(payload, StandardCharsets.UTF_8), true, null));
        }
    }

    /** Records why the connection failed, then closes it. */
    void fail(Channel ch, String reason) {
        if (ch == channel && closeReason == null) {
            closeReason = reason;
        }
        ch.close();
    }

    private void onClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        boolean wasAccepted = accepted;
        String reason = closeReason != null ? closeReason : "connection to " + peerName + " closed";
        channel = null;
        accepted = false;
        cancel(handshakeTimeout);
        if (closed || pending.isEmpty()) {
            return;
        }
        if (wasAccepted) {
            failAll(new ArrayList<>(pending.values()), reason);
            return;
        }
        LOG.log(Level.DEBUG, "{0}: {1}", peerName, reason);
        nextAddress++;
        failedDials++;
        if (failedDials < addresses.get().size()) {
            dial();
            return;
        }
        failedDials = 0;
        failAll(new ArrayList<>(pending.values()), reason);
    }

    private void failAll(List<Pending> requests, String reason) {
        for (Pending request : requests) {
            pending.remove(request.id);
            cancel(request.timeout);
            request.answer.completeExceptionally(failure("request " + request.method + " to " + peerName + ": " + reason));
        }
    }

    private static PeerRequestException failure(String message) {
        return new PeerRequestException(message, false, null);
    }

    private static CompletableFuture<byte[]> local(String message) {
        return CompletableFuture.failedFuture(failure(message));
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
