package io.etcetera.kernel.mvcc;

/**
 * Tells the MVCC store whether a lease exists, so that a put naming an unknown lease fails with
 * {@code LEASE_NOT_FOUND} as in etcd ({@code etcdserver/apply.go}: {@code lessor.Lookup}).
 *
 * <p>The lease store implements it; until it exists, {@link #NONE} knows no lease, so every put
 * with {@code lease != 0} fails. Implementations are called on the apply thread only and must
 * answer from state that the apply thread itself changes (grants and revokes are applied in log
 * order), so that every member answers the same.
 */
@FunctionalInterface
public interface LeaseLookup {

    /** A lookup that knows no lease. */
    LeaseLookup NONE = leaseId -> false;

    /**
     * @param leaseId a lease id, never 0 (0 means "no lease" and is never looked up)
     * @return whether the lease is granted and not yet revoked or expired
     */
    boolean exists(long leaseId);
}
