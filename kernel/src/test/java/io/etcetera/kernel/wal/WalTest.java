package io.etcetera.kernel.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {

    @TempDir
    Path dir;

    private final CountingFileSync sync = new CountingFileSync();

    private Wal.Options options(long segmentSizeBytes) {
        return new Wal.Options(segmentSizeBytes, sync);
    }

    private static Entry entry(long term, long index, String data) {
        return Entry.newBuilder().setTerm(term).setIndex(index).setType(EntryType.EntryNormal)
                .setData(ByteString.copyFromUtf8(data)).build();
    }

    private static HardState hardState(long term, long vote, long commit) {
        return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(commit).build();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void entriesAndHardStateSurviveReopen() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(hardState(1, 0, 0), List.of(entry(1, 1, "a"), entry(1, 2, "b")), true);
            wal.save(hardState(2, 7, 2), List.of(entry(2, 3, "c")), true);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        recovered.wal().close();

        assertThat(recovered.hardState()).isEqualTo(hardState(2, 7, 2));
        assertThat(recovered.lastIndex()).isEqualTo(3);
        assertThat(recovered.entries()).containsExactly(entry(1, 1, "a"), entry(1, 2, "b"), entry(2, 3, "c"));
        assertThat(segments()).extracting(p -> p.getFileName().toString())
                .containsExactly("0000000000000000-0000000000000000.wal");
    }

    @Test
    void openReturnsOnlyEntriesAfterTheAppliedIndexWithItsTerm() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(hardState(3, 1, 4), List.of(entry(1, 1, "a"), entry(2, 2, "b"), entry(3, 3, "c"), entry(3, 4, "d")),
                    true);
        }

        Wal.Recovered recovered = Wal.open(dir, 2, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        recovered.wal().close();

        assertThat(recovered.appliedTerm()).isEqualTo(2);
        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(3L, 4L);
    }

    @Test
    void appendsAfterReopenFollowTheRecoveredRecords() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(hardState(1, 0, 1), List.of(entry(1, 1, "a")), true);
        }
        try (Wal wal = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES)).wal()) {
            wal.save(hardState(2, 0, 2), List.of(entry(2, 2, "b")), true);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        recovered.wal().close();

        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(1L, 2L);
        assertThat(recovered.hardState().getCommit()).isEqualTo(2);
    }

    @Test
    void aLaterEntryAtAnIndexAlreadyWrittenReplacesTheTailFromThere() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(null, List.of(entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")), true);
            wal.save(null, List.of(entry(2, 2, "B")), true);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        recovered.wal().close();

        assertThat(recovered.entries()).containsExactly(entry(1, 1, "a"), entry(2, 2, "B"));
        assertThat(recovered.lastIndex()).isEqualTo(2);
    }

    @Test
    void saveWithoutSyncDoesNotFsyncAndSaveWithSyncFsyncsOnce() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            int before = sync.fileSyncs();
            wal.save(hardState(1, 0, 0), List.of(), false);
            assertThat(sync.fileSyncs()).isEqualTo(before);
            wal.save(hardState(1, 0, 0), List.of(entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")), true);
            assertThat(sync.fileSyncs()).isEqualTo(before + 1);
        }
    }

    @Test
    void aTornRecordAtTheTailIsTruncatedAndAppendingContinues() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(hardState(1, 0, 1), List.of(entry(1, 1, "a")), true);
            wal.save(null, List.of(entry(1, 2, "a write the crash cut short")), true);
        }
        Path segment = segments().get(0);
        long fullSize = recordBytes(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            // the preallocation lost too: a crash of a file system that did not keep it
            file.setLength(fullSize - 5);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        try (Wal wal = recovered.wal()) {
            assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(1L);
            assertThat(recordBytes(segment)).isLessThan(fullSize - 5);
            assertThat(Files.size(segment)).as("preallocated again").isEqualTo(Wal.DEFAULT_SEGMENT_SIZE_BYTES);
            wal.save(null, List.of(entry(1, 2, "again")), true);
        }

        Wal.Recovered reopened = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        reopened.wal().close();
        assertThat(reopened.entries()).containsExactly(entry(1, 1, "a"), entry(1, 2, "again"));
    }

    @Test
    void aBadCrcInTheLastRecordIsATornTail() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(null, List.of(entry(1, 1, "a"), entry(1, 2, "b")), true);
        }
        Path segment = segments().get(0);
        flipByte(segment, recordBytes(segment) - 1);

        Wal.Recovered recovered = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        recovered.wal().close();

        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(1L);
    }

    @Test
    void aZeroFilledTailEndsTheLog() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(null, List.of(entry(1, 1, "a")), true);
        }
        Path segment = segments().get(0);
        long records = recordBytes(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(Files.size(segment) + 4096);
        }

        Wal.Recovered recovered = Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES));
        recovered.wal().close();

        assertThat(recovered.entries()).extracting(Entry::getIndex).containsExactly(1L);
        assertThat(recordBytes(segment)).isEqualTo(records);
    }

    @Test
    void aBadRecordBeforeTheTailFailsTheOpen() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(null, List.of(entry(1, 1, "first"), entry(1, 2, "second"), entry(1, 3, "third")), true);
        }
        Path segment = segments().get(0);
        // The last byte of the first record's payload.
        int firstRecordBytes = SegmentReader.HEADER_BYTES + entry(1, 1, "first").getSerializedSize();
        flipByte(segment, firstRecordBytes - 1);
        long sizeBefore = Files.size(segment);

        assertThatThrownBy(() -> Wal.open(dir, 0, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES)))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(segment.getFileName().toString())
                .hasMessageContaining("byte offset 0")
                .hasMessageContaining("CRC mismatch");
        assertThat(Files.size(segment)).as("nothing truncated").isEqualTo(sizeBefore);
    }

    @Test
    void aSegmentIsCutAtTheSizeLimitAndReadBackAcrossSegments() throws IOException {
        long segmentSizeBytes = 256;
        List<Entry> written = new ArrayList<>();
        try (Wal wal = Wal.create(dir, options(segmentSizeBytes))) {
            for (long index = 1; index <= 20; index++) {
                Entry entry = entry(1, index, "payload-" + "x".repeat(40) + index);
                written.add(entry);
                wal.save(hardState(1, 1, index - 1), List.of(entry), true);
            }
        }
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        for (Path segment : segments.subList(0, segments.size() - 1)) {
            assertThat(Files.size(segment)).isGreaterThanOrEqualTo(segmentSizeBytes);
        }
        // The second segment starts where the first ended, named <seq>-<first index>.
        SegmentName second = SegmentName.parse(segments.get(1));
        assertThat(second.seq()).isEqualTo(1);
        long entriesInFirst = Wal.open(dir, 0, options(segmentSizeBytes)).entries().stream()
                .filter(e -> e.getIndex() < second.firstIndex()).count();
        assertThat(second.firstIndex()).isEqualTo(entriesInFirst + 1);
        // Every new segment was made durable in the directory.
        assertThat(sync.directorySyncs()).isGreaterThanOrEqualTo(segments.size());

        Wal.Recovered recovered = Wal.open(dir, 0, options(segmentSizeBytes));
        recovered.wal().close();
        assertThat(recovered.entries()).isEqualTo(written);
        assertThat(recovered.hardState()).isEqualTo(hardState(1, 1, 19));
    }

    @Test
    void aTornTailInAnEarlierSegmentIsCorruption() throws IOException {
        try (Wal wal = Wal.create(dir, options(64))) {
            for (long index = 1; index <= 6; index++) {
                wal.save(null, List.of(entry(1, index, "y".repeat(60))), true);
            }
        }
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(1);
        Path first = segments.get(0);
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw")) {
            file.setLength(Files.size(first) - 3);
        }

        assertThatThrownBy(() -> Wal.open(dir, 0, options(64)))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining(first.getFileName().toString());
    }

    @Test
    void aMissingSegmentFailsTheOpen() throws IOException {
        try (Wal wal = Wal.create(dir, options(64))) {
            for (long index = 1; index <= 6; index++) {
                wal.save(null, List.of(entry(1, index, "z".repeat(60))), true);
            }
        }
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Files.delete(segments.get(1));

        assertThatThrownBy(() -> Wal.open(dir, 0, options(64)))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("misses segment number 1");
    }

    @Test
    void aBackendAheadOfTheWalFailsTheOpen() throws IOException {
        try (Wal wal = Wal.create(dir, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES))) {
            wal.save(null, List.of(entry(1, 1, "a")), true);
        }

        assertThatThrownBy(() -> Wal.open(dir, 5, options(Wal.DEFAULT_SEGMENT_SIZE_BYTES)))
                .isInstanceOf(WalCorruptedException.class)
                .hasMessageContaining("applied up to index 5")
                .hasMessageContaining("ends at index 1");
    }

    @Test
    void openWithoutSegmentsFailsAndCreateOverAnExistingWalFails() throws IOException {
        assertThat(Wal.exists(dir)).isFalse();
        assertThatThrownBy(() -> Wal.open(dir, 0, options(64))).isInstanceOf(NoSuchFileException.class);
        Wal.create(dir, options(64)).close();
        assertThat(Wal.exists(dir)).isTrue();
        assertThatThrownBy(() -> Wal.create(dir, options(64)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("already holds one");
        Files.writeString(dir.resolve("notes.txt"), "not a segment", StandardCharsets.UTF_8);
        Wal.open(dir, 0, options(64)).wal().close();
    }

    /** The bytes of the intact records of {@code segment} (the rest is preallocated zeros). */
    private static long recordBytes(Path segment) throws IOException {
        return SegmentReader.read(segment, true, (type, payload, offset) -> { }).validBytes();
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }
}
