package io.etcetera.spi.server;

import io.etcetera.spi.v3lockpb.LockRequest;
import io.etcetera.spi.v3lockpb.LockResponse;
import io.etcetera.spi.v3lockpb.UnlockRequest;
import io.etcetera.spi.v3lockpb.UnlockResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The kernel's distributed lock facade, etcd's {@code v3lockpb.Lock} service without a transport
 * (etcd 3.4 {@code etcdserver/api/v3lock/lock.go} over {@code clientv3/concurrency/mutex.go}).
 * The lock is a key {@code name + "/" + hex(lease)} attached to the caller's lease; holders are
 * served in the order their keys were created (create_revision).
 *
 * <p>Every method returns at once. Failures complete the future exceptionally with
 * {@link io.etcetera.spi.error.EtcdException}, with the KV or lease error etcd's in-process
 * client would get (for example {@code LEASE_NOT_FOUND}). Thread-safe.
 */
public interface LockService {

    /**
     * Acquires the lock {@code name} for {@code lease}: creates the lock key if absent, then waits
     * until no key under {@code name + "/"} has a smaller create_revision. The future completes
     * with {@code {header, key}} once the lock is held; it may stay incomplete for as long as
     * other holders keep theirs. With lease 0 a lease of 60 s is granted for the key (etcd's
     * default session TTL). Cancelling the future stops waiting and deletes the lock key, as etcd
     * does when the client's context ends.
     */
    CompletableFuture<LockResponse> lock(LockRequest request);

    /** Releases a lock by deleting its key (a missing key is not an error). */
    CompletableFuture<UnlockResponse> unlock(UnlockRequest request);
}
