package io.etcetera.kernel.raft;

import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.raft.pb.Snapshot;
import io.etcetera.kernel.raft.pb.SnapshotMetadata;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * The stable log kept in memory (etcd/raft's {@code MemoryStorage}): a copy of what the driver
 * persisted (WAL entries and the snapshot), from which a leader reads entries to replicate.
 *
 * <p>{@code entries.get(0)} is a placeholder for the compaction point: its index and term are the
 * last compacted entry's (or the snapshot's), its data is never read. The owner appends what it
 * persisted ({@link #append}), installs received snapshots ({@link #applySnapshot}), takes
 * snapshots of its state machine ({@link #createSnapshot}) and discards old entries
 * ({@link #compact}). A {@link RaftNode} does the first two itself in
 * {@link RaftNode#advance(Ready)}.
 *
 * <p>Not thread-safe: the thread that owns the node owns its storage.
 */
public final class MemoryStorage implements Storage {

    private final List<Entry> entries = new ArrayList<>();
    private HardState hardState = HardState.getDefaultInstance();
    private Snapshot snapshot = Snapshot.newBuilder().setMetadata(SnapshotMetadata.getDefaultInstance()).build();

    /** An empty log: compaction point (0, 0), no snapshot. */
    public MemoryStorage() {
        entries.add(Entry.getDefaultInstance());
    }

    /** An empty log whose compaction point is entry {@code index} of term {@code term}. */
    public static MemoryStorage startingAfter(long index, long term) {
        MemoryStorage storage = new MemoryStorage();
        storage.entries.set(0, marker(index, term));
        return storage;
    }

    /** An independent copy of this storage (what a restarted member reads back from disk). */
    public MemoryStorage copy() {
        MemoryStorage copy = new MemoryStorage();
        copy.entries.clear();
        copy.entries.addAll(entries);
        copy.hardState = hardState;
        copy.snapshot = snapshot;
        return copy;
    }

    /** The last hard state recorded with {@link #setHardState}. */
    public HardState hardState() {
        return hardState;
    }

    /** Records the persisted hard state (for restarts; the node does not read it back). */
    public void setHardState(HardState hardState) {
        this.hardState = hardState;
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public long term(long index) {
        checkRange(index, offset(), lastIndex());
        return entries.get((int) (index - offset())).getTerm();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        if (lo > hi) {
            throw new IllegalArgumentException("entries [" + lo + ", " + hi + ") is an inverted range");
        }
        checkRange(lo, firstIndex(), lastIndex() + 1);
        checkRange(hi, firstIndex(), lastIndex() + 1);
        return limitSize(entries.subList((int) (lo - offset()), (int) (hi - offset())), maxSizeBytes);
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces the whole log with {@code snapshot} (a follower installing its leader's snapshot).
     *
     * @throws IllegalArgumentException when the snapshot is older than the current one
     */
    public void applySnapshot(Snapshot newSnapshot) {
        long index = newSnapshot.getMetadata().getIndex();
        if (index < snapshot.getMetadata().getIndex()) {
            throw new IllegalArgumentException("snapshot at index " + index + " is older than the current one at "
                    + snapshot.getMetadata().getIndex());
        }
        snapshot = newSnapshot;
        entries.clear();
        entries.add(marker(index, newSnapshot.getMetadata().getTerm()));
    }

    /**
     * Takes a snapshot at {@code index} (an applied index, within the log) of state machine
     * {@code data}, for membership {@code confState}; entries stay until {@link #compact}.
     */
    public Snapshot createSnapshot(long index, ConfState confState, ByteString data) {
        if (index <= snapshot.getMetadata().getIndex()) {
            throw new IllegalArgumentException("snapshot index " + index + " is not after the current snapshot's "
                    + snapshot.getMetadata().getIndex());
        }
        checkRange(index, offset(), lastIndex());
        snapshot = Snapshot.newBuilder()
                .setData(data)
                .setMetadata(SnapshotMetadata.newBuilder()
                        .setIndex(index)
                        .setTerm(term(index))
                        .setConfState(confState))
                .build();
        return snapshot;
    }

    /**
     * Discards the entries up to {@code compactIndex}, which becomes the compaction point. A
     * follower that needs a discarded entry is sent the snapshot instead, so the owner keeps a
     * snapshot at or after the compaction point (else the leader waits for one).
     */
    public void compact(long compactIndex) {
        if (compactIndex <= offset()) {
            return;
        }
        checkRange(compactIndex, offset(), lastIndex());
        List<Entry> kept = new ArrayList<>(entries.subList((int) (compactIndex - offset()), entries.size()));
        kept.set(0, marker(compactIndex, kept.get(0).getTerm()));
        entries.clear();
        entries.addAll(kept);
    }

    /**
     * Appends persisted entries; an entry at an index already held replaces it and every later
     * one (a follower's log overwritten by its leader). Entries at or before the compaction point
     * are skipped.
     *
     * @throws IllegalArgumentException when the entries leave a gap after {@link #lastIndex()}
     */
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.get(0).getIndex();
        long last = newEntries.get(newEntries.size() - 1).getIndex();
        if (last <= offset()) {
            return;
        }
        if (first > lastIndex() + 1) {
            throw new IllegalArgumentException("appending entry " + first + " leaves a gap after last index " + lastIndex());
        }
        List<Entry> toAppend = first <= offset() ? newEntries.subList((int) (offset() + 1 - first), newEntries.size()) : newEntries;
        long from = toAppend.get(0).getIndex();
        entries.subList((int) (from - offset()), entries.size()).clear();
        entries.addAll(toAppend);
    }

    private long offset() {
        return entries.get(0).getIndex();
    }

    private static Entry marker(long index, long term) {
        return Entry.newBuilder().setIndex(index).setTerm(term).build();
    }

    private static void checkRange(long index, long lo, long hi) {
        if (index < lo || index > hi) {
            throw new IllegalArgumentException("index " + index + " outside the stored log [" + lo + ", " + hi + "]");
        }
    }

    /** A prefix of {@code entries} of at most {@code maxSizeBytes} serialized, but at least one entry. */
    static List<Entry> limitSize(List<Entry> entries, long maxSizeBytes) {
        if (entries.isEmpty()) {
            return List.of();
        }
        long size = entries.get(0).getSerializedSize();
        int limit = 1;
        while (limit < entries.size()) {
            size += entries.get(limit).getSerializedSize();
            if (size > maxSizeBytes) {
                break;
            }
            limit++;
        }
        return List.copyOf(entries.subList(0, limit));
    }
}
