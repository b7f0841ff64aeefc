package io.etcetera.kernel.raft.sim;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.MemoryStorage;
import io.etcetera.kernel.raft.RaftConfig;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.Snapshot;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One simulated member: its Raft node, its disk, and a state machine that is a hash chain over
 * the applied entries (so two members agree on their state exactly when they applied the same
 * entries). A crash loses the node and the page cache; a restart rebuilds the node from the
 * disk and the state machine from the last snapshot, as a real member does.
 */
final class SimNode {

    final long id;
    final SimDisk disk = new SimDisk();
    private final long seed;
    private RaftNode raft;
    private int incarnation;
    private boolean alive;
    private long stateHash;
    private long stateApplied;

    private SimNode(long id, long seed) {
        this.id = id;
        this.seed = seed;
    }

    static SimNode bootstrap(long id, long seed, List<Long> peers) {
        SimNode node = new SimNode(id, seed);
        node.raft = RaftNode.bootstrap(node.config(), peers);
        node.alive = true;
        return node;
    }

    /** A member that joins an existing cluster: empty log, no membership, taught by the leader. */
    static SimNode joining(long id, long seed) {
        SimNode node = new SimNode(id, seed);
        node.raft = RaftNode.restart(node.config(), new MemoryStorage(), ConfState.getDefaultInstance(), 0);
        node.alive = true;
        return node;
    }

    private RaftConfig config() {
        return new RaftConfig(id, Simulation.ELECTION_TIMEOUT_TICKS, Simulation.HEARTBEAT_TICKS,
                seed * 31 + id * 1_000_003 + incarnation, true, true, Simulation.MAX_SIZE_PER_MSG_BYTES,
                Simulation.MAX_INFLIGHT_MESSAGES);
    }

    RaftNode raft() {
        return raft;
    }

    boolean alive() {
        return alive;
    }

    void crash() {
        alive = false;
        disk.crash();
        raft = null;
    }

    void restart() {
        incarnation++;
        MemoryStorage storage = disk.load();
        Snapshot snapshot = storage.snapshot();
        long snapshotIndex = snapshot.getMetadata().getIndex();
        stateApplied = snapshotIndex;
        stateHash = snapshotIndex == 0 ? 0 : decode(snapshot.getData());
        raft = RaftNode.restart(config(), storage, snapshot.getMetadata().getConfState(), snapshotIndex);
        alive = true;
    }

    long stateHash() {
        return stateHash;
    }

    long stateApplied() {
        return stateApplied;
    }

    /** Applies {@code entry} to the state machine. */
    void apply(Entry entry) {
        if (entry.getIndex() != stateApplied + 1) {
            throw new AssertionError("node " + id + " applies entry " + entry.getIndex() + " after " + stateApplied);
        }
        stateHash = stateHash * 1_000_003 ^ (entry.getTerm() * 31 + entry.getData().hashCode()) ^ entry.getIndex();
        stateApplied = entry.getIndex();
    }

    /** Installs a snapshot received from the leader. */
    void install(Snapshot snapshot) {
        stateHash = decode(snapshot.getData());
        stateApplied = snapshot.getMetadata().getIndex();
    }

    /** Takes a snapshot once enough entries were applied since the last one, and compacts the log. */
    void maybeSnapshot() {
        long applied = raft.appliedIndex();
        if (applied - raft.storage().snapshot().getMetadata().getIndex() < Simulation.SNAPSHOT_INTERVAL_ENTRIES) {
            return;
        }
        if (stateApplied != applied) {
            throw new AssertionError("node " + id + " state machine at " + stateApplied + ", raft applied " + applied);
        }
        ByteString data = encode(stateHash);
        Snapshot snapshot = raft.createSnapshot(data);
        long compactIndex = Math.max(applied - Simulation.SNAPSHOT_CATCH_UP_ENTRIES, raft.firstIndex() - 1);
        disk.saveSnapshot(applied, snapshot.getMetadata().getConfState(), data, compactIndex);
        raft.compact(compactIndex);
    }

    static ByteString encode(long hash) {
        return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(hash).array());
    }

    static long decode(ByteString data) {
        return data.asReadOnlyByteBuffer().getLong();
    }
}
