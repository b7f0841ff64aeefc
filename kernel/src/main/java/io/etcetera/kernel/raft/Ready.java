package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
import java.util.List;

/**
 * The work a {@link RaftNode} hands its driver (etcd/raft's {@code Ready}): persist
 * {@link #hardState()} and {@link #entries()} to stable storage (fsync'd when
 * {@link #mustSync()}), only then hand {@link #committedEntries()} to the state machine, and call
 * {@link RaftNode#advance(Ready)}.
 *
 * @param hardState the hard state to persist, or {@code null} when it did not change since the
 *     last Ready
 * @param entries entries to append to stable storage, in index order; may be empty
 * @param committedEntries committed entries to apply, in index order; all are already stable
 * @param mustSync whether the write must be fsync'd before the next step: entries were added or
 *     term or vote changed (a commit index change alone may stay in the page cache, as in etcd)
 */
public record Ready(HardState hardState, List<Entry> entries, List<Entry> committedEntries, boolean mustSync) {
    public Ready {
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
    }
}
