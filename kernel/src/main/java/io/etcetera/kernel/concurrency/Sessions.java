package io.etcetera.kernel.concurrency;

import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.server.LeaseService;
import java.util.concurrent.CompletableFuture;

/**
 * The lease a lock or election request runs under (etcd {@code concurrency.NewSession} with
 * {@code WithLease}, then {@code Orphan}): the request's lease, or, for lease 0, a new lease of
 * {@value #DEFAULT_SESSION_TTL_SECONDS} s that nobody keeps alive. Stateless.
 */
final class Sessions {
    /** TTL of a lease granted for a request without one, in seconds (etcd {@code defaultSessionTTL}). */
    static final long DEFAULT_SESSION_TTL_SECONDS = 60;

    private Sessions() {
    }

    /** {@code lease}, or the id of a newly granted lease when it is 0. */
    static CompletableFuture<Long> leaseFor(LeaseService leases, long lease) {
        if (lease != 0) {
            return CompletableFuture.completedFuture(lease);
        }
        return leases.grant(LeaseGrantRequest.newBuilder().setTTL(DEFAULT_SESSION_TTL_SECONDS).build())
                .thenApply(granted -> granted.getID());
    }
}
