/**
 * Leases (etcd's {@code lease} package): the {@link io.etcetera.kernel.lease.Lessor} holds the
 * leases and the keys attached to them; {@link io.etcetera.kernel.lease.LeaseApplier} applies
 * the lease entries of the log (grant, revoke, checkpoint) on the apply thread;
 * {@link io.etcetera.kernel.lease.LessorTimer} lets the leader's lessor find expired leases and
 * due checkpoints, which it proposes through {@link io.etcetera.kernel.lease.LeaseProposals}.
 * Time comes from an injected {@link io.etcetera.kernel.lease.LeaseClock}.
 */
package io.etcetera.kernel.lease;
