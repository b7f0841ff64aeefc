package io.etcetera.kernel.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot records, preallocated segments and purging (etcd's {@code wal} snapshot and retention rules). */
class WalSnapshotTest {

    private static final long SEGMENT_BYTES = 4096;

    @TempDir
    Path dir;

    private final Wal.Options options = new Wal.Options(SEGMENT_BYTES, new CountingFileSync());

    @Test
    void openFromASnapshotRecordReturnsTheEntriesAfterItWithItsTerm() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(2, 4), entries(1, 4, 2), true);
            wal.saveSnapshot(3, 2);
        }

        Wal.Recovered recovered = Wal.open(dir, 3, 2, options);
        recovered.wal().close();

        assertThat(recovered.appliedTerm()).isEqualTo(2);
        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(4L);
        assertThat(recovered.lastIndex()).isEqualTo(4);
    }

    @Test
    void aSnapshotPastTheLastEntryContinuesTheLogAfterIt() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(1, 2), entries(1, 2, 1), true);
            // a follower installs its leader's snapshot at 100: the log resumes at 101
            wal.saveSnapshot(100, 3);
            assertThat(wal.lastIndex()).isEqualTo(100);
            wal.save(hardState(3, 101), entries(101, 101, 3), true);
        }

        Wal.Recovered recovered = Wal.open(dir, 100, 3, options);
        recovered.wal().close();

        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(101L);
        assertThat(recovered.appliedTerm()).isEqualTo(3);
        assertThat(recovered.hardState().getCommit()).isEqualTo(101);
    }

    @Test
    void aReceivedSnapshotWhoseRecordACrashPreventedIsRecordedOnOpen() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(1, 2), entries(1, 2, 1), true);
            // the leader's snapshot at 100 reached the .snap file, then the member crashed
        }

        Wal.Recovered recovered = Wal.open(dir, 100, 3, options);
        try (Wal wal = recovered.wal()) {
            assertThat(recovered.lastIndex()).isEqualTo(100);
            assertThat(recovered.entries()).isEmpty();
            assertThat(recovered.appliedTerm()).isEqualTo(3);
            // raised to the snapshot: commit at its index, term at least its term
            assertThat(recovered.hardState().getCommit()).isEqualTo(100);
            assertThat(recovered.hardState().getTerm()).isEqualTo(3);
            wal.save(hardState(3, 101), entries(101, 101, 3), true);
        }

        // the record is durable: a later start finds the log continuing after the snapshot
        Wal.Recovered reopened = Wal.open(dir, 100, 3, options);
        reopened.wal().close();
        assertThat(reopened.entries()).extracting(Entry::getIndex).containsExactly(101L);
        assertThat(reopened.hardState().getCommit()).isEqualTo(101);
    }

    @Test
    void aWalWhoseCommitIsPastItsEndStillFailsFromASnapshot() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(1, 5), entries(1, 2, 1), true);
        }

        assertThatThrownBy(() -> Wal.open(dir, 100, 3, options))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("the WAL lost entries");
    }

    @Test
    void aSnapshotWhoseTermDiffersFromTheWalIsRefused() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(2, 3), entries(1, 3, 2), true);
            wal.saveSnapshot(3, 2);
        }

        assertThatThrownBy(() -> Wal.open(dir, 3, 5, options))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("term 5");
    }

    @Test
    void segmentsArePreallocatedAndACutTruncatesTheFullOne() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            assertThat(Files.size(segments().get(0))).isEqualTo(SEGMENT_BYTES);
            long index = 1;
            while (segments().size() < 2) {
                wal.save(hardState(1, index), entries(index, index, 1), true);
                index++;
            }
            assertThat(Files.size(segments().get(0))).as("a cut segment holds only its records, no zero tail")
                    .isEqualTo(validBytes(segments().get(0)));
            assertThat(Files.size(segments().get(1))).isEqualTo(SEGMENT_BYTES);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options);
        recovered.wal().close();
        assertThat(recovered.entries()).isNotEmpty();
        assertThat(recovered.entries().get(recovered.entries().size() - 1).getIndex()).isEqualTo(recovered.lastIndex());
    }

    @Test
    void theZeroTailOfAPreallocatedSegmentIsTheEndOfTheLogAndAppendsFollowTheRecords() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(1, 2), entries(1, 2, 1), true);
        }
        try (Wal wal = Wal.open(dir, 0, options).wal()) {
            wal.save(hardState(1, 3), entries(3, 3, 1), true);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options);
        recovered.wal().close();
        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L);
        assertThat(Files.size(segments().get(0))).isEqualTo(SEGMENT_BYTES);
    }

    @Test
    void aTornAppendFollowedByPreallocatedZerosIsTruncated() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            wal.save(hardState(1, 2), entries(1, 2, 1), true);
        }
        Path segment = segments().get(0);
        // A crash in the middle of an append: a record header claiming 100 bytes, 10 of them written.
        long validBytes = validBytes(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer torn = ByteBuffer.allocate(9 + 10).putInt(100).putInt(0x12345678).put((byte) 2).put(new byte[10]);
            torn.put(9, (byte) 7).flip();
            channel.write(torn, validBytes);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options);
        recovered.wal().save(hardState(1, 3), entries(3, 3, 1), true);
        recovered.wal().close();

        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(1L, 2L);
        Wal.Recovered again = Wal.open(dir, 0, options);
        again.wal().close();
        assertThat(again.entries()).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L);
    }

    @Test
    void purgeDeletesOnlySegmentsWhollyBeforeTheSnapshotBeyondMaxWals() throws IOException {
        try (Wal wal = Wal.create(dir, options)) {
            long index = 1;
            while (segments().size() < 5) {
                wal.save(hardState(1, index), entries(index, index, 1), true);
                index++;
            }
            List<Long> firstIndexes = segments().stream().map(WalSnapshotTest::firstIndex).toList();
            // the snapshot lies inside segment 2: segments 0 and 1 end before it
            long snapshotIndex = firstIndexes.get(2) + 1;
            wal.saveSnapshot(snapshotIndex, 1);

            assertThat(wal.purge(snapshotIndex, 0)).as("max-wals 0 keeps every segment").isEmpty();
            assertThat(wal.purge(snapshotIndex, 4)).hasSize(1);
            assertThat(segments()).hasSize(4);
            assertThat(wal.purge(snapshotIndex, 1)).as("never a segment holding entries after the snapshot").hasSize(1);
            assertThat(segments()).hasSize(3);
            assertThat(firstIndex(segments().get(0))).isEqualTo(firstIndexes.get(2));

            Wal.Recovered recovered;
            wal.close();
            recovered = Wal.open(dir, snapshotIndex, 1, options);
            recovered.wal().close();
            assertThat(recovered.entries().get(0).getIndex()).isEqualTo(snapshotIndex + 1);
            assertThatThrownBy(() -> Wal.open(dir, firstIndexes.get(1), 1, options))
                    .isInstanceOf(WalCorruptedException.class)
                    .hasMessageContaining("purged");
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private static long firstIndex(Path segment) {
        return SegmentName.parse(segment).firstIndex();
    }

    /** The bytes of the intact records of {@code segment}. */
    private static long validBytes(Path segment) throws IOException {
        return SegmentReader.read(segment, true, (type, payload, offset) -> { }).validBytes();
    }

    private static List<Entry> entries(long from, long to, long term) {
        return java.util.stream.LongStream.rangeClosed(from, to)
                .mapToObj(i -> Entry.newBuilder().setTerm(term).setIndex(i).setType(EntryType.EntryNormal)
                        .setData(ByteString.copyFromUtf8("entry " + i + " " + "x".repeat(200))).build())
                .toList();
    }

    private static HardState hardState(long term, long commit) {
        return HardState.newBuilder().setTerm(term).setCommit(commit).build();
    }
}
