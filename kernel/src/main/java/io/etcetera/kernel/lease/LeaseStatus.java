package io.etcetera.kernel.lease;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * What the leader knows of one lease at a moment (etcd's {@code LeaseTimeToLive} answer).
 *
 * @param id the lease id
 * @param grantedTtlSeconds the TTL granted, in seconds (after the minimum TTL was applied)
 * @param remainingSeconds the time left before expiry, in whole seconds truncated toward zero as
 *     etcd's {@code int64(Remaining().Seconds())}; may be 0 or negative for an expired lease not
 *     yet revoked, and huge (2<sup>63</sup>-1 ns in seconds) on a member that is not the leader
 * @param keys the attached keys in unsigned byte order; empty unless asked for
 */
public record LeaseStatus(long id, long grantedTtlSeconds, long remainingSeconds, List<ByteString> keys) {
    public LeaseStatus {
        keys = List.copyOf(keys);
    }
}
