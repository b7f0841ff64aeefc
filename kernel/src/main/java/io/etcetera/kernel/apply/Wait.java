package io.etcetera.kernel.apply;

import com.google.protobuf.Message;
import io.etcetera.spi.error.EtcdError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Futures of proposed requests, keyed by request id (etcd's {@code pkg/wait}): the proposer
 * registers before proposing, the apply loop completes the future when it applies the entry with
 * that id. Ids without a waiter (entries replayed after a restart) are ignored.
 *
 * <p>Thread-safe.
 */
public final class Wait {

    private final ConcurrentMap<Long, CompletableFuture<Message>> waiters = new ConcurrentHashMap<>();

    /**
     * Registers request {@code id}.
     *
     * @throws IllegalStateException when {@code id} is already registered (ids must be unique)
     */
    public CompletableFuture<Message> register(long id) {
        CompletableFuture<Message> future = new CompletableFuture<>();
        if (waiters.putIfAbsent(id, future) != null) {
            throw new IllegalStateException("request id " + Long.toHexString(id) + " is already waiting");
        }
        return future;
    }

    /** Whether request {@code id} has a waiter. */
    public boolean isRegistered(long id) {
        return waiters.containsKey(id);
    }

    /** Completes request {@code id} with {@code response}, if anyone waits for it. */
    public void trigger(long id, Message response) {
        CompletableFuture<Message> future = waiters.remove(id);
        if (future != null) {
            future.complete(response);
        }
    }

    /** Fails request {@code id} with {@code failure}, if anyone waits for it. */
    public void fail(long id, Throwable failure) {
        CompletableFuture<Message> future = waiters.remove(id);
        if (future != null) {
            future.completeExceptionally(failure);
        }
    }

    /** Fails every waiting request with {@link EtcdError#STOPPED}: the server is going away. */
    public void failAll() {
        for (Long id : waiters.keySet()) {
            fail(id, EtcdError.STOPPED.exception());
        }
    }
}
