package io.etcetera.kernel.lease;

/**
 * A lease record as the backend keeps it (etcd's {@code leasepb.Lease}).
 *
 * @param id the lease id
 * @param ttlSeconds the granted TTL, in seconds
 * @param remainingTtlSeconds the remaining TTL last checkpointed, in seconds; 0 = none
 */
record StoredLease(long id, long ttlSeconds, long remainingTtlSeconds) {
}
