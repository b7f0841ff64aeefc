package io.etcetera.kernel.server;

import io.etcetera.kernel.lease.Lessor;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.snap.BackendDump;
import io.etcetera.kernel.snap.Snapshotter;
import io.etcetera.kernel.watch.WatchServer;
import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Installs a raft snapshot from the leader on the apply thread (etcd's {@code applySnapshot}):
 * replaces the backend's contents with the received dump ({@code <index>.snap.db}) in one atomic
 * batch, keeping this member's own identity key; then reloads the lessor, the MVCC store (key
 * index, revisions, consistent index) and re-syncs the watchers; then runs the
 * {@link #onInstalled} hooks (the membership view reloads from the {@code members} bucket there).
 * The applied index becomes the restored backend's consistent index.
 *
 * <p>The apply thread installs; hooks may be added from any thread.
 */
public final class SnapshotInstaller {

    private static final System.Logger LOG = System.getLogger(SnapshotInstaller.class.getName());

    private final Backend backend;
    private final Snapshotter snapshotter;
    private final Lessor lessor;
    private final MvccStore mvcc;
    private final WatchServer watchServer;
    private final List<Runnable> onInstalled = new CopyOnWriteArrayList<>();

    SnapshotInstaller(Backend backend, Snapshotter snapshotter, Lessor lessor, MvccStore mvcc, WatchServer watchServer) {
        this.backend = backend;
        this.snapshotter = snapshotter;
        this.lessor = lessor;
        this.mvcc = mvcc;
        this.watchServer = watchServer;
    }

    /** Adds {@code hook}, run on the apply thread after each install, once the stores are reloaded. */
    public void onInstalled(Runnable hook) {
        onInstalled.add(hook);
    }

    /**
     * Installs the snapshot at {@code snapshotIndex}.
     *
     * @return the new applied index: the restored backend's consistent index
     * @throws UncheckedIOException when the dump is missing or damaged (fatal for the member)
     * @throws IllegalStateException when the dump is older than the snapshot
     */
    long install(long snapshotIndex) {
        try {
            restoreBackend(backend, snapshotter.dbFile(snapshotIndex));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the snapshot at index " + snapshotIndex, e);
        }
        lessor.reload(backend);
        mvcc.reload();
        watchServer.storeReloaded();
        long installed = mvcc.consistentIndex();
        if (installed < snapshotIndex) {
            throw new IllegalStateException("the snapshot dump at index " + snapshotIndex
                    + " holds an older consistent index " + installed);
        }
        onInstalled.forEach(Runnable::run);
        LOG.log(Level.INFO, "installed snapshot at index {0,number,#}: consistent index {1,number,#}, revision {2,number,#}",
                snapshotIndex, installed, mvcc.currentRevision());
        try {
            snapshotter.purge(0, snapshotIndex + 1);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete installed snapshot dumps: {0}", e.getMessage());
        }
        return installed;
    }

    /**
     * Replaces {@code backend}'s contents with the dump in {@code db}, keeping this member's own
     * id (the dump carries the sender's). Also used at start, when a crash interrupted an install.
     *
     * @throws NoSuchFileException when there is no such dump
     * @throws IOException when it cannot be read or is damaged; the backend is unchanged
     */
    static void restoreBackend(Backend backend, Path db) throws IOException {
        byte[] localMemberId = backend.get(Bucket.CLUSTER, MemberIdentity.LOCAL_MEMBER_ID_KEY);
        try (InputStream in = Files.newInputStream(db)) {
            BackendDump.restore(backend, in, batch -> {
                if (localMemberId != null) {
                    batch.put(Bucket.CLUSTER, MemberIdentity.LOCAL_MEMBER_ID_KEY, localMemberId);
                }
            });
        }
    }
}
