package io.etcetera.kernel.server;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.ServerConfig;
import io.etcetera.kernel.apply.AppliedIndex;
import io.etcetera.kernel.apply.ApplyLoop;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.Snapshot;
import io.etcetera.kernel.snap.Snapshotter;
import io.etcetera.kernel.wal.Wal;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;

/**
 * The Raft loop's snapshot work (etcd's {@code raftNode} snapshot handling and
 * {@code triggerSnapshot}), kept out of {@link RaftLoop}:
 * <ul>
 *   <li>a snapshot in a Ready (from the leader) is persisted before anything else of the Ready
 *       — the {@code .snap} file, then the WAL snapshot record, fsync'd — and queued for
 *       install on the apply loop, after every entry committed before it;</li>
 *   <li>a {@code MsgSnap} to send goes to the {@link SnapshotSender}, off the loop;</li>
 *   <li>every {@link ServerConfig.Snapshots#snapshotCount()} applied entries a local snapshot is
 *       taken at the index the apply loop has applied, saved like a received one, the Raft log
 *       compacted to {@code snapshotIndex - catchUpEntries}, and old snap files and WAL
 *       segments purged ({@code --max-snapshots}, {@code --max-wals}).</li>
 * </ul>
 * The backend is the snapshot's data: raft snapshots carry metadata only.
 *
 * <p>Called on the Raft loop thread, except {@link #receive} (a transport snapshot thread).
 */
public final class RaftSnapshots {

    private static final System.Logger LOG = System.getLogger(RaftSnapshots.class.getName());

    private final Snapshotter snapshotter;
    private final Wal wal;
    private final ServerConfig.Snapshots settings;
    private final AppliedIndex appliedIndex;
    private final SnapshotSender sender;
    private final SnapshotReceiver receiver;
    private final ApplyLoop applyLoop;
    private final SnapshotInstaller installer;

    RaftSnapshots(Snapshotter snapshotter, Wal wal, ServerConfig.Snapshots settings, AppliedIndex appliedIndex,
            SnapshotSender sender, ApplyLoop applyLoop, SnapshotInstaller installer) {
        this.snapshotter = snapshotter;
        this.wal = wal;
        this.settings = settings;
        this.appliedIndex = appliedIndex;
        this.sender = sender;
        this.receiver = new SnapshotReceiver(snapshotter);
        this.applyLoop = applyLoop;
        this.installer = installer;
    }

    /** Persists a snapshot received from the leader: snap file, then WAL record, fsync'd. */
    void persist(Snapshot snapshot) throws IOException {
        snapshotter.save(snapshot);
        wal.saveSnapshot(snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm());
    }

    /** Queues the install of a persisted snapshot behind the entries already handed to the apply loop. */
    void install(Snapshot snapshot) throws InterruptedException {
        applyLoop.submitInstall(snapshot.getMetadata().getIndex(), installer::install);
    }

    /** Sends {@code msgSnap} asynchronously; the outcome reaches Raft as a snapshot status. */
    void send(Message msgSnap) {
        sender.send(msgSnap);
    }

    /** Stores and verifies a snapshot streamed by {@code from}; see {@link SnapshotReceiver#receive}. */
    Message receive(long from, byte[] metadata, InputStream data) throws IOException {
        return receiver.receive(from, metadata, data);
    }

    /**
     * Takes a local snapshot when {@link ServerConfig.Snapshots#snapshotCount()} entries were
     * applied since the last one, then compacts the log and purges old files.
     *
     * @throws IOException when the snap file or WAL record cannot be written (fatal)
     */
    void maybeSnapshot(RaftNode node) throws IOException {
        long index = Math.min(appliedIndex.get(), node.appliedIndex());
        if (index - node.snapshotIndex() < settings.snapshotCount()) {
            return;
        }
        Snapshot snapshot = node.createSnapshot(index, ByteString.EMPTY);
        snapshotter.save(snapshot);
        wal.saveSnapshot(index, snapshot.getMetadata().getTerm());
        long compactTo = index - settings.catchUpEntries();
        if (compactTo >= node.firstIndex()) {
            node.compact(compactTo);
        }
        LOG.log(Level.INFO, "saved snapshot at index {0,number,#}; raft log compacted to {1,number,#}",
                index, node.firstIndex() - 1);
        snapshotter.purge(settings.maxSnapshots(), index);
        wal.purge(index, settings.maxWals());
    }
}
