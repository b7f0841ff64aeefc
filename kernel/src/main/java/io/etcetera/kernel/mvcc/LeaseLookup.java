package io.etcetera.kernel.mvcc;

/**
 * The MVCC store's view of the lessor (etcd's {@code lease.Lessor} as {@code mvcc} uses it): it
 * asks whether a lease named by a put exists, and tells which lease each live key is attached
 * to, so that revoking a lease can delete its keys.
 *
 * <p>The store calls {@link #keyPut} and {@link #keyDeleted} only for committed changes, in
 * revision order, while it holds its write lock, and once per live leased key when it rebuilds its
 * index from the backend (at open); implementations must be idempotent for the latter and must not
 * call back into the store. Called from the apply thread; {@link #exists} may also be called by
 * readers.
 */
public interface LeaseLookup {

    /** A lookup that knows no lease and keeps no attachments. */
    LeaseLookup NONE = leaseId -> false;

    /**
     * @param leaseId a lease id, never 0 (0 means "no lease" and is never looked up)
     * @return whether the lease is granted and not yet revoked
     */
    boolean exists(long leaseId);

    /**
     * A new version of {@code key} was committed with lease {@code leaseId} (0 for none): the key
     * leaves any lease it was attached to and, unless {@code leaseId} is 0, is attached to
     * {@code leaseId} (etcd's {@code Detach} then {@code Attach} in {@code storeTxnWrite.put}).
     */
    default void keyPut(byte[] key, long leaseId) {
    }

    /** {@code key} was deleted: it leaves any lease it was attached to. */
    default void keyDeleted(byte[] key) {
    }
}
