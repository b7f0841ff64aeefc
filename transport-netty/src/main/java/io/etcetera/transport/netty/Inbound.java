package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerHandler;
import io.etcetera.spi.transport.PeerRequestHandler;
import io.etcetera.spi.transport.TransportContext;
import io.etcetera.spi.transport.TransportLimits;
import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.LongPredicate;

/**
 * What the acceptor side of a transport shares between its connections (etcd's
 * {@code streamHandler} and {@code snapshotHandler}): the handshake rules, the one inbound stream
 * per peer, and the bound on snapshots received at once. Thread-safe.
 */
final class Inbound {
    private static final System.Logger LOG = System.getLogger(Inbound.class.getName());

    private final TransportContext context;
    private final LongPredicate isPeer;
    private final ExecutorService snapshotExecutor;
    private final Semaphore snapshotPermits;
    private final ConcurrentHashMap<Long, Channel> streams = new ConcurrentHashMap<>();

    Inbound(TransportContext context, LongPredicate isPeer, ExecutorService snapshotExecutor) {
        this.context = context;
        this.isPeer = isPeer;
        this.snapshotExecutor = snapshotExecutor;
        this.snapshotPermits = new Semaphore(context.limits().maxConcurrentSnapshots());
    }

    PeerHandler handler() {
        return context.handler();
    }

    PeerRequestHandler requests() {
        return context.requests();
    }

    TransportLimits limits() {
        return context.limits();
    }

    ExecutorService snapshotExecutor() {
        return snapshotExecutor;
    }

    /**
     * Why a handshake is refused, in etcd's words and order ({@code rafthttp/http.go}): another
     * protocol version, another cluster, a removed member, an unknown sender, or a handshake
     * meant for another member. Empty when it is accepted. One exception: a
     * {@link ConnectionKind#REQUEST} connection with cluster id 0 and sender 0 is a process that
     * is not a member yet (etcd serves {@code /members} to anyone who reaches the peer port); it
     * is accepted, and may only make requests, which the handler sees from member 0.
     */
    Optional<String> refusal(Hello hello) {
        String reason = null;
        if (hello.version() != Hello.PROTOCOL_VERSION) {
            reason = "incompatible version " + hello.version();
        } else if (isAnonymousRequests(hello)) {
            return Optional.empty();
        } else if (hello.clusterId() != context.clusterId()) {
            reason = "cluster ID mismatch";
            LOG.log(Level.ERROR, "request cluster ID mismatch (got {0} want {1})",
                    Long.toHexString(hello.clusterId()), Long.toHexString(context.clusterId()));
        } else if (context.handler().isRemoved(hello.from())) {
            reason = "removed member";
        } else if (!isPeer.test(hello.from())) {
            reason = "error sender not found";
        } else if (hello.to() != context.localMemberId()) {
            reason = "to field mismatch";
        }
        return Optional.ofNullable(reason);
    }

    /** Whether the handshake is of a caller that is not a member: requests only, cluster id and sender 0. */
    static boolean isAnonymousRequests(Hello hello) {
        return hello.kind() == ConnectionKind.REQUEST && hello.clusterId() == 0 && hello.from() == 0;
    }

    /** {@code ch} is now the stream from {@code from}; an older one is closed, as etcd replaces streams. */
    void registerStream(long from, Channel ch) {
        Channel previous = streams.put(from, ch);
        if (previous != null && previous != ch) {
            previous.close();
        }
        ch.closeFuture().addListener(f -> streams.remove(from, ch));
    }

    /** Closes the inbound stream from {@code memberId}, if any. */
    void closeStreamOf(long memberId) {
        Channel ch = streams.remove(memberId);
        if (ch != null) {
            ch.close();
        }
    }

    /** Takes a snapshot slot, given back when {@code ch} closes; false when all are taken. */
    boolean tryReserveSnapshot(Channel ch) {
        if (!snapshotPermits.tryAcquire()) {
            return false;
        }
        ch.closeFuture().addListener(f -> snapshotPermits.release());
        return true;
    }
}
