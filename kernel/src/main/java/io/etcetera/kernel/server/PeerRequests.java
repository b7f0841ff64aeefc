package io.etcetera.kernel.server;

import io.etcetera.spi.transport.PeerRequestException;
import io.etcetera.spi.transport.PeerRequestHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The member's answers to peer requests, by method name: what etcd serves on the peer port
 * besides {@code /raft} ({@code /members}, {@code /leases}, {@code /leases/internal}; etcd's
 * {@code etcdserver/api/etcdhttp/peer.go}). Each service registers its own methods
 * ({@link LeaseServer#servePeerRequests}); the transport calls {@link #onRequest}.
 *
 * <p>A method's failure goes back to the caller as its message: an {@code EtcdException}'s is
 * etcd's exact error text, which the caller maps back to the same {@code EtcdError}
 * ({@link LeaseForwarding}). Requests for a method not registered (yet) fail with
 * {@code unknown peer request method <name>}.
 *
 * <p>Thread-safe: methods may be registered while requests are served.
 */
final class PeerRequests implements PeerRequestHandler {

    /** One request method: answers {@code body} from member {@code from} (0: not a member). Must not block. */
    @FunctionalInterface
    interface Method {
        CompletableFuture<byte[]> answer(long from, byte[] body);
    }

    private final ConcurrentHashMap<String, Method> methods = new ConcurrentHashMap<>();

    /**
     * Registers {@code method} under {@code name}.
     *
     * @throws IllegalStateException when {@code name} is registered already
     */
    void register(String name, Method method) {
        if (methods.putIfAbsent(name, method) != null) {
            throw new IllegalStateException("peer request method " + name + " is registered already");
        }
    }

    @Override
    public CompletableFuture<byte[]> onRequest(long from, String name, byte[] body) {
        Method method = methods.get(name);
        if (method == null) {
            return CompletableFuture.failedFuture(new PeerRequestException("unknown peer request method " + name));
        }
        try {
            return method.answer(from, body);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
