package io.etcetera.kernel.apply;

import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.server.pb.MemberAttributesRequest;

/**
 * Where the {@link EntryApplier} hands the entries that change the cluster's membership: conf
 * changes and members' published attributes. Implementations must store the entry's index as the
 * consistent index in the same backend batch as their change. Called on the apply thread only.
 */
public interface MembershipEntries {

    /** Applies the {@code EntryConfChange} {@code entry} and answers its proposer, if any. */
    void applyConfChange(Entry entry);

    /** Applies a member's published name and client URLs, committed at {@code index}. */
    void applyAttributes(long index, MemberAttributesRequest request);
}
