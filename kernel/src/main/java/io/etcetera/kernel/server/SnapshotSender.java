package io.etcetera.kernel.server;

import io.etcetera.kernel.apply.AppliedIndex;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.snap.BackendDump;
import io.etcetera.kernel.snap.Snapshotter;
import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Snapshot;
import io.etcetera.spi.transport.PeerHandler;
import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.SnapshotPayload;
import io.etcetera.spi.transport.SnapshotStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The leader's side of a snapshot transfer (etcd's {@code sendSnapshot} with
 * {@code createMergedSnapshotMessage}): for a {@code MsgSnap} that Raft wants sent, waits until
 * the apply loop applied the snapshot's index, dumps a point-in-time backend snapshot to a temp
 * file under {@code member/snap} (the payload needs its exact size), and hands it to
 * {@link PeerTransport#sendSnapshot}. The dump is therefore at least as new as the raft
 * snapshot; the follower skips the entries it already holds by the dump's consistent index.
 *
 * <p>All of it runs on one dump thread ({@code etcetera-snapshot-sender}), never on the Raft
 * loop. A failure before the transport has the snapshot is reported to Raft as a failed
 * snapshot through {@link PeerHandler#snapshotStatus}, which sends the follower back to probing.
 * The temp file is deleted as soon as the transport opens it (the open stream still reads it).
 * Thread-safe.
 */
public final class SnapshotSender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SnapshotSender.class.getName());
    /** How long, in ms, a dump waits for the apply loop to reach the snapshot's index. */
    static final long APPLY_WAIT_MS = 30_000;

    private final Backend backend;
    private final Snapshotter snapshotter;
    private final AppliedIndex appliedIndex;
    private final PeerHandler reports;
    private final ExecutorService dumper = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "etcetera-snapshot-sender");
        thread.setDaemon(true);
        return thread;
    });
    private volatile PeerTransport transport;

    /**
     * A sender dumping {@code backend} into {@code snapshotter}'s directory once
     * {@code appliedIndex} allows, reporting failures to {@code reports} (the Raft loop).
     */
    public SnapshotSender(Backend backend, Snapshotter snapshotter, AppliedIndex appliedIndex, PeerHandler reports) {
        this.backend = backend;
        this.snapshotter = snapshotter;
        this.appliedIndex = appliedIndex;
        this.reports = reports;
    }

    /** The transport snapshots go through; set before the first {@link #send}. */
    public void connect(PeerTransport peers) {
        this.transport = peers;
    }

    /** Dumps and sends {@code msgSnap} to its recipient, asynchronously. Never blocks. */
    public void send(Message msgSnap) {
        long to = msgSnap.getTo();
        try {
            dumper.execute(() -> dumpAndSend(msgSnap));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            reports.snapshotStatus(to, SnapshotStatus.FAILURE);
        }
    }

    private void dumpAndSend(Message msgSnap) {
        long to = msgSnap.getTo();
        long index = msgSnap.getSnapshot().getMetadata().getIndex();
        PeerTransport peers = transport;
        Path file = null;
        try {
            if (peers == null) {
                throw new IOException("no peer transport");
            }
            appliedIndex.await(index).get(APPLY_WAIT_MS, TimeUnit.MILLISECONDS);
            file = snapshotter.newTempFile("send-" + MemberIdentity.toHex(to));
            BackendDump.Summary summary;
            try (Snapshot view = backend.snapshot(); OutputStream out = Files.newOutputStream(file)) {
                summary = BackendDump.write(view, out);
            }
            LOG.log(Level.INFO, "sending snapshot at index {0,number,#} to {1}: {2,number,#} keys, {3,number,#} bytes",
                    index, MemberIdentity.toHex(to), summary.records(), summary.bytes());
            Path dump = file;
            peers.sendSnapshot(to, new SnapshotPayload(msgSnap.toByteArray(), summary.bytes(), () -> openAndUnlink(dump)));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.WARNING, "cannot send the snapshot at index {0,number,#} to {1}: {2}", index,
                    MemberIdentity.toHex(to), e.toString());
            deleteQuietly(file);
            reports.snapshotStatus(to, SnapshotStatus.FAILURE);
        }
    }

    private static InputStream openAndUnlink(Path dump) throws IOException {
        InputStream in = Files.newInputStream(dump);
        deleteQuietly(dump);
        return in;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete snapshot dump {0}: {1}", file, e.getMessage());
        }
    }

    /** Stops the dump thread; a dump in progress is abandoned. Idempotent. */
    @Override
    public void close() {
        dumper.shutdownNow();
    }
}
