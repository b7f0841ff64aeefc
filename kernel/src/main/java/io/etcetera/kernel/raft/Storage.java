package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.Snapshot;
import java.util.List;

/**
 * The stable part of a Raft log as the node reads it (etcd/raft's {@code Storage}): entries the
 * driver persisted, after the last compaction point, and the latest snapshot.
 *
 * <p>Indexes are Raft log indexes. The compaction point {@code firstIndex() - 1} still knows its
 * term, so that the entry after it can be matched. Callers stay inside
 * {@code [firstIndex() - 1, lastIndex()]}; asking outside is a bug and throws
 * {@link IllegalArgumentException}.
 */
public interface Storage {

    /** The index of the first entry still held (the compaction point + 1). */
    long firstIndex();

    /** The index of the last entry held, or the compaction point when none is. */
    long lastIndex();

    /** The term of the entry at {@code index}, in {@code [firstIndex() - 1, lastIndex()]}. */
    long term(long index);

    /**
     * The entries in {@code [lo, hi)}, within {@code [firstIndex(), lastIndex() + 1]}, cut after
     * {@code maxSizeBytes} of serialized entries but never empty when the range is not.
     */
    List<Entry> entries(long lo, long hi, long maxSizeBytes);

    /** The latest snapshot; its metadata index is 0 when none was ever taken. */
    Snapshot snapshot();
}
