package io.etcetera.kernel.lease;

import io.etcetera.spi.etcdserverpb.LeaseCheckpoint;
import java.util.List;

/**
 * How the leader's lessor puts its decisions into the log (etcd's {@code ExpiredLeasesC}
 * consumer and {@code Checkpointer}): every member applies them at the same index, so they
 * delete the same keys at the same revision. Calls must not block on the proposal being applied;
 * failures are the implementation's to log (a lost revocation is proposed again after
 * {@link LessorConfig#expiredLeaseRetryMs()}). Thread-safe.
 */
public interface LeaseProposals {

    /** Proposes revoking lease {@code leaseId}, which expired. */
    void revoke(long leaseId);

    /** Proposes recording the remaining TTLs of {@code checkpoints} (at most 1,000 per call). */
    void checkpoint(List<LeaseCheckpoint> checkpoints);
}
