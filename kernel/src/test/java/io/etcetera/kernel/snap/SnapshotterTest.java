package io.etcetera.kernel.snap;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.pb.Snapshot;
import io.etcetera.kernel.raft.pb.SnapshotMetadata;
import io.etcetera.kernel.wal.FileSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {

    @TempDir
    Path dir;

    @Test
    void theNewestSnapshotIsLoadedWithItsMembershipAndWithoutData() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir, FileSync.FSYNC);
        snapshotter.save(snapshot(2, 100));
        snapshotter.save(snapshot(3, 250).toBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("x")).build());
        snapshotter.save(snapshot(3, 200));

        Snapshot newest = new Snapshotter(dir, FileSync.FSYNC).loadNewest().orElseThrow();

        assertThat(newest).isEqualTo(snapshot(3, 250));
        assertThat(Files.exists(dir.resolve("0000000000000003-00000000000000fa.snap"))).isTrue();
    }

    @Test
    void aDamagedSnapFileIsSkippedAndRenamedBroken() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir, FileSync.FSYNC);
        snapshotter.save(snapshot(1, 10));
        snapshotter.save(snapshot(1, 20));
        Path newest = snapshotter.snapFiles().get(0);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 1] ^= 1;
        Files.write(newest, bytes);

        assertThat(snapshotter.loadNewest()).contains(snapshot(1, 10));
        assertThat(Files.exists(newest.resolveSibling(newest.getFileName() + ".broken"))).isTrue();
    }

    @Test
    void purgeKeepsTheNewestMaxSnapshotsAndDropsInstalledDumps() throws IOException {
        Snapshotter snapshotter = new Snapshotter(dir, FileSync.FSYNC);
        for (long index = 1; index <= 7; index++) {
            snapshotter.save(snapshot(1, index * 10));
        }
        Files.writeString(snapshotter.dbFile(40), "old dump");
        Files.writeString(snapshotter.dbFile(70), "pending dump");

        snapshotter.purge(3, 70);

        assertThat(snapshotter.snapFiles()).hasSize(3);
        assertThat(snapshotter.loadNewest()).contains(snapshot(1, 70));
        assertThat(Files.exists(snapshotter.dbFile(40))).isFalse();
        assertThat(Files.exists(snapshotter.dbFile(70))).isTrue();
    }

    @Test
    void leftoverTempFilesAreDeletedAtOpen() throws IOException {
        Path temp = new Snapshotter(dir, FileSync.FSYNC).newTempFile("receive");
        assertThat(temp).exists();

        new Snapshotter(dir, FileSync.FSYNC);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static Snapshot snapshot(long term, long index) {
        return Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setTerm(term).setIndex(index)
                .setConfState(ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3))).build();
    }
}
