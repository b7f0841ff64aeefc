package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.Snapshot;
import java.util.List;

/**
 * The work a {@link RaftNode} hands its driver (etcd/raft's {@code Ready}). The driver, in order:
 * <ol>
 *   <li>persists {@link #snapshot()}, {@link #hardState()} and {@link #entries()} (fsync'd when
 *       {@link #mustSync()});</li>
 *   <li>sends {@link #messages()} (they assume step 1 happened: a vote or an append
 *       acknowledgement must not leave before what it promises is durable);</li>
 *   <li>installs the snapshot in the state machine and applies {@link #committedEntries()};</li>
 *   <li>calls {@link RaftNode#advance(Ready)}, which also copies the persisted entries and
 *       snapshot into the node's {@link MemoryStorage} and applies committed membership changes.</li>
 * </ol>
 *
 * @param softState the leader and role, or {@code null} when unchanged since the last Ready
 * @param hardState the hard state to persist, or {@code null} when unchanged since the last Ready
 * @param entries entries to append to stable storage, in index order; may be empty
 * @param snapshot a snapshot received from the leader to persist and install, or {@code null}
 * @param committedEntries committed entries to apply, in index order; all are already stable
 * @param messages messages to send to other members, after persisting
 * @param readStates answered ReadIndex requests, in request order
 * @param mustSync whether the write must be fsync'd before messages go out: entries, a snapshot,
 *     or a new term or vote (a commit index change alone may stay in the page cache, as in etcd)
 */
public record Ready(
        SoftState softState,
        HardState hardState,
        List<Entry> entries,
        Snapshot snapshot,
        List<Entry> committedEntries,
        List<Message> messages,
        List<ReadState> readStates,
        boolean mustSync) {

    public Ready {
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }
}
