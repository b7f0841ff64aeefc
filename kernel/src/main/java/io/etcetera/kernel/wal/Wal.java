package io.etcetera.kernel.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.raft.pb.SnapshotMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The write-ahead log: Raft entries and hard states in segmented files under
 * {@code <data-dir>/member/wal/}, as etcd's {@code wal} package keeps them.
 *
 * <p>Each {@link #save} appends its records (entries first, then the hard state) with one write
 * and, when asked, one fsync: callers batch concurrent proposals into one save, so they share the
 * fsync (group commit). When a segment reaches {@link Options#segmentSizeBytes()} the WAL is cut:
 * the full segment is fsync'd, a new one named {@code <seq+1>-<next index>.wal} is created
 * starting with the last hard state, and the directory is fsync'd so the new file survives a
 * crash. Record framing and the torn-tail rule are {@link SegmentReader}'s.
 *
 * <p>Segments are preallocated to the segment size when created (etcd preallocates 64 MiB), so
 * appends do not grow the file; the unused tail reads as zeros, which {@link SegmentReader} takes
 * as the end of the log. A cut truncates the full segment to its records first.
 *
 * <p>Snapshots: {@link #saveSnapshot} records a raft snapshot's index and term (etcd's
 * {@code walpb.Snapshot}); {@link #open(Path, long, long, Options)} replays from one, and
 * {@link #purge} deletes segments wholly before the last snapshot beyond {@code --max-wals}.
 *
 * <p>Not thread-safe: one thread (the Raft loop) owns an open WAL.
 */
public final class Wal implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

    /** etcd's segment size: a segment is cut once it holds at least 64 MiB. */
    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L * 1024 * 1024;

    /**
     * How a WAL writes.
     *
     * @param segmentSizeBytes the size, in bytes, at which a segment is cut
     * @param fileSync how files and directories are fsync'd
     */
    public record Options(long segmentSizeBytes, FileSync fileSync) {
        public Options {
            if (segmentSizeBytes <= 0) {
                throw new IllegalArgumentException("segmentSizeBytes must be positive, got " + segmentSizeBytes);
            }
            if (fileSync == null) {
                throw new IllegalArgumentException("fileSync must not be null");
            }
        }

        /** {@link #DEFAULT_SEGMENT_SIZE_BYTES} and real fsyncs. */
        public static Options defaults() {
            return new Options(DEFAULT_SEGMENT_SIZE_BYTES, FileSync.FSYNC);
        }
    }

    /**
     * A WAL opened for appending, with what it holds.
     *
     * @param wal the open WAL, positioned after its last intact record
     * @param hardState the last hard state saved (the default instance when none was)
     * @param lastIndex the index of the last entry in the WAL, 0 when there is none
     * @param appliedTerm the term of the entry at the {@code afterIndex} given to {@link #open}
     *     (0 when that index is 0)
     * @param entries the entries with an index above {@code afterIndex}, in index order
     */
    public record Recovered(Wal wal, HardState hardState, long lastIndex, long appliedTerm, List<Entry> entries) {
        public Recovered {
            entries = List.copyOf(entries);
        }
    }

    private final Path directory;
    private final Options options;
    private FileChannel channel;
    private SegmentName segment;
    private long segmentBytes;
    private boolean unsynced;
    private long lastIndex;
    private HardState lastHardState;

    private Wal(Path directory, Options options, FileChannel channel, SegmentName segment, long segmentBytes,
            long lastIndex, HardState lastHardState) {
        this.directory = directory;
        this.options = options;
        this.channel = channel;
        this.segment = segment;
        this.segmentBytes = segmentBytes;
        this.lastIndex = lastIndex;
        this.lastHardState = lastHardState;
    }

    /** Whether {@code directory} holds a WAL (at least one segment file). */
    public static boolean exists(Path directory) throws IOException {
        return Files.isDirectory(directory) && !segments(directory).isEmpty();
    }

    /**
     * Creates an empty WAL in {@code directory} (created if absent) with its first segment
     * {@code 0000000000000000-0000000000000000.wal}.
     *
     * @throws IOException when the directory already holds a WAL or cannot be written
     */
    public static Wal create(Path directory, Options options) throws IOException {
        Files.createDirectories(directory);
        if (!segments(directory).isEmpty()) {
            throw new IOException("cannot create a WAL in " + directory + ": it already holds one");
        }
        SegmentName first = new SegmentName(0, 0);
        FileChannel channel = createSegment(directory, first, options);
        options.fileSync().syncDirectory(directory.toAbsolutePath().getParent());
        return new Wal(directory, options, channel, first, 0, 0, HardState.getDefaultInstance());
    }

    /**
     * Opens the WAL in {@code directory}, reads every segment, truncates a torn final record (with
     * a warning), and returns the WAL positioned for appending.
     *
     * @param afterIndex only entries above this index are returned (the backend's consistent
     *     index: older entries are already applied)
     * @throws WalCorruptedException when a record other than the final one is damaged, a segment
     *     is missing, or the WAL ends before {@code afterIndex}
     * @throws NoSuchFileException when {@code directory} holds no WAL
     */
    public static Recovered open(Path directory, long afterIndex, Options options) throws IOException {
        return open(directory, afterIndex, 0, options);
    }

    /**
     * Opens the WAL from a raft snapshot at {@code snapshotIndex} of term {@code snapshotTerm}
     * (the newest {@code .snap} file): as {@link #open(Path, long, Options)} with that index,
     * the snapshot's term as the applied term, and a check that an entry or snapshot record the
     * WAL holds at that index has that term.
     *
     * @param snapshotTerm the snapshot's term; 0 takes the term from the WAL
     * @throws WalCorruptedException as {@link #open(Path, long, Options)}, or when the WAL holds
     *     a different term at {@code snapshotIndex}, or when segments holding entries after
     *     {@code snapshotIndex} were purged. A snapshot past the end of the log is not an error
     *     when the WAL's commit index is within the log: a crash interrupted recording a snapshot
     *     received from the leader, and the record is written now
     */
    public static Recovered open(Path directory, long snapshotIndex, long snapshotTerm, Options options)
            throws IOException {
        long afterIndex = snapshotIndex;
        List<SegmentName> names = segments(directory);
        if (names.isEmpty()) {
            throw new NoSuchFileException(directory.toString(), null, "no WAL segment found");
        }
        for (int i = 1; i < names.size(); i++) {
            if (names.get(i).seq() != names.get(0).seq() + i) {
                throw new WalCorruptedException("WAL in " + directory + " misses segment number "
                        + (names.get(0).seq() + i) + " before " + names.get(i).fileName());
            }
        }
        long indexBeforeFirstSegment = Math.max(0, names.get(0).firstIndex() - 1);
        if (afterIndex < indexBeforeFirstSegment) {
            throw new WalCorruptedException("the WAL in " + directory + " starts after index " + indexBeforeFirstSegment
                    + " but entries after index " + afterIndex + " are needed: segments were purged too early");
        }
        Replay replay = new Replay(afterIndex, indexBeforeFirstSegment);
        SegmentReader.Result lastResult = null;
        for (int i = 0; i < names.size(); i++) {
            Path file = directory.resolve(names.get(i).fileName());
            lastResult = SegmentReader.read(file, i == names.size() - 1, (type, payload, offset) ->
                    replay.record(file, type, payload, offset));
        }
        SegmentName last = names.get(names.size() - 1);
        Path lastFile = directory.resolve(last.fileName());
        FileChannel channel = FileChannel.open(lastFile, StandardOpenOption.WRITE);
        try {
            if (lastResult.tornTail() != null) {
                LOG.log(Level.WARNING, "truncating torn record at the tail of WAL segment {0} at byte offset {1,number,#} "
                        + "({2}; {3,number,#} bytes dropped)", lastFile, lastResult.validBytes(), lastResult.tornTail(),
                        lastResult.fileBytes() - lastResult.validBytes());
                channel.truncate(lastResult.validBytes());
                preallocate(channel, options);
                options.fileSync().syncFile(channel);
            }
            if (afterIndex > replay.lastIndex
                    && (snapshotTerm == 0 || replay.hardState.getCommit() > replay.lastIndex)) {
                throw new WalCorruptedException("the backend has applied up to index " + afterIndex
                        + " but the WAL in " + directory + " ends at index " + replay.lastIndex
                        + ": the WAL lost entries");
            }
            if (snapshotTerm != 0 && replay.appliedTerm != 0 && replay.appliedTerm != snapshotTerm) {
                throw new WalCorruptedException("the snapshot at index " + afterIndex + " has term " + snapshotTerm
                        + " but the WAL in " + directory + " holds term " + replay.appliedTerm + " there");
            }
            channel.position(lastResult.validBytes());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Wal wal = new Wal(directory, options, channel, last, lastResult.validBytes(), replay.lastIndex,
                replay.hardState);
        HardState hardState = replay.hardState;
        if (afterIndex > replay.lastIndex) {
            hardState = recordInterruptedSnapshot(wal, hardState, afterIndex, snapshotTerm);
        }
        long appliedTerm = snapshotTerm != 0 ? snapshotTerm : replay.appliedTerm;
        return new Recovered(wal, hardState, wal.lastIndex(), appliedTerm, replay.entries);
    }

    /**
     * A snapshot past the end of the log, which the WAL holds no record of, while nothing the WAL
     * holds says that entries are missing (its commit index is within the log): the member
     * received its leader's snapshot and crashed after writing the {@code .snap} file (fsync'd
     * first, see {@link #saveSnapshot}) but before recording it here. The snapshot holds state
     * the cluster committed, so the record is written now and the log continues after it, as if
     * the crash had not happened, with the hard state raised to it (commit at least the snapshot
     * index, term at least the snapshot's, the vote cleared when the term rises, as Raft does on
     * a higher term). Closes {@code wal} when the write fails.
     *
     * @return the hard state now saved
     */
    private static HardState recordInterruptedSnapshot(Wal wal, HardState saved, long snapshotIndex, long snapshotTerm)
            throws IOException {
        LOG.log(Level.WARNING, "the snapshot at index {0,number,#} (term {1,number,#}) is past the end of the WAL "
                + "in {2} (index {3,number,#}) and not recorded in it: a crash interrupted its install; recording it "
                + "now", snapshotIndex, snapshotTerm, wal.directory, wal.lastIndex());
        HardState.Builder raised = saved.toBuilder().setCommit(Math.max(saved.getCommit(), snapshotIndex));
        if (snapshotTerm > saved.getTerm()) {
            raised.setTerm(snapshotTerm).setVote(0);
        }
        try {
            wal.saveSnapshot(snapshotIndex, snapshotTerm);
            wal.save(raised.build(), List.of(), true);
            return raised.build();
        } catch (IOException | RuntimeException e) {
            try {
                wal.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Appends {@code entries} and then {@code hardState} with one write, fsync'd when
     * {@code sync}; cuts the segment afterwards if it reached the size limit.
     *
     * @param hardState the hard state to save, or {@code null} to save none
     * @param entries entries in index order; an entry at or below the last index replaces the
     *     tail from it on when read back (Raft log truncation)
     * @throws IOException when the write or fsync fails; the WAL must then not be used further
     */
    public void save(HardState hardState, List<Entry> entries, boolean sync) throws IOException {
        ensureOpen();
        if (hardState == null && entries.isEmpty()) {
            return;
        }
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            records.writeBytes(SegmentReader.frame(RecordType.ENTRY, entry.toByteArray()));
        }
        if (hardState != null) {
            records.writeBytes(SegmentReader.frame(RecordType.HARD_STATE, hardState.toByteArray()));
        }
        write(records.toByteArray());
        if (!entries.isEmpty()) {
            lastIndex = entries.get(entries.size() - 1).getIndex();
        }
        if (hardState != null) {
            lastHardState = hardState;
        }
        if (sync) {
            sync();
        }
        if (segmentBytes >= options.segmentSizeBytes()) {
            cut();
        }
    }

    /**
     * Records a raft snapshot at {@code index} of term {@code term} (etcd's {@code SaveSnapshot})
     * and fsyncs: save the {@code .snap} file first, so no record names a missing file. When
     * {@code index} is past the last entry (a snapshot received from the leader), the log
     * continues at {@code index + 1}.
     *
     * @throws IOException when the write or fsync fails; the WAL must then not be used further
     */
    public void saveSnapshot(long index, long term) throws IOException {
        ensureOpen();
        byte[] payload = SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).build().toByteArray();
        write(SegmentReader.frame(RecordType.SNAPSHOT, payload));
        lastIndex = Math.max(lastIndex, index);
        sync();
        if (segmentBytes >= options.segmentSizeBytes()) {
            cut();
        }
    }

    /**
     * Deletes the oldest segments while more than {@code maxWals} remain, but only segments
     * whose entries all lie at or before {@code snapshotIndex} (the last snapshot, itself at or
     * before the backend's consistent index): recovery never needs them again. The segment being
     * written is never deleted. etcd's {@code --max-wals}: 0 keeps every segment.
     *
     * @return the file names deleted, oldest first
     * @throws IOException when a file cannot be deleted
     */
    public List<String> purge(long snapshotIndex, int maxWals) throws IOException {
        ensureOpen();
        List<String> deleted = new ArrayList<>();
        if (maxWals <= 0) {
            return deleted;
        }
        List<SegmentName> names = segments(directory);
        int remaining = names.size();
        for (int i = 0; i + 1 < names.size() && remaining > maxWals; i++) {
            // Segment i holds entries up to the next segment's first index - 1.
            if (names.get(i + 1).firstIndex() - 1 > snapshotIndex || names.get(i).equals(segment)) {
                break;
            }
            Files.delete(directory.resolve(names.get(i).fileName()));
            deleted.add(names.get(i).fileName());
            remaining--;
        }
        if (!deleted.isEmpty()) {
            options.fileSync().syncDirectory(directory);
            LOG.log(Level.INFO, "purged WAL segments {0} (snapshot index {1,number,#}, max-wals {2})",
                    deleted, snapshotIndex, maxWals);
        }
        return deleted;
    }

    /** Forces everything written so far to stable storage (one fsync; none when nothing is pending). */
    public void sync() throws IOException {
        ensureOpen();
        if (unsynced) {
            options.fileSync().syncFile(channel);
            unsynced = false;
        }
    }

    /** The index of the last entry saved or recovered, 0 when none. */
    public long lastIndex() {
        return lastIndex;
    }

    /** Syncs what is pending and closes the current segment; idempotent. */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            sync();
        } finally {
            channel.close();
            channel = null;
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        segmentBytes += bytes.length;
        unsynced = true;
    }

    /**
     * Starts a new segment: the current one is made durable first, so that only the last segment
     * can ever end in a torn record.
     */
    private void cut() throws IOException {
        sync();
        // Drop the rest of the preallocation: only the last segment may end in zeros.
        channel.truncate(segmentBytes);
        options.fileSync().syncFile(channel);
        channel.close();
        SegmentName next = new SegmentName(segment.seq() + 1, lastIndex + 1);
        channel = createSegment(directory, next, options);
        segment = next;
        segmentBytes = 0;
        // Each segment starts with the hard state, so it is self-describing once older segments
        // are released after a snapshot.
        write(SegmentReader.frame(RecordType.HARD_STATE, lastHardState.toByteArray()));
        sync();
    }

    private void ensureOpen() throws IOException {
        if (channel == null) {
            throw new IOException("WAL in " + directory + " is closed");
        }
    }

    private static FileChannel createSegment(Path directory, SegmentName name, Options options) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(name.fileName()),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            preallocate(channel, options);
            options.fileSync().syncFile(channel);
            options.fileSync().syncDirectory(directory);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /**
     * Extends the segment to the segment size with zeros, leaving the position where it is. The
     * file may be sparse: what matters is that appends do not change its size.
     */
    private static void preallocate(FileChannel channel, Options options) throws IOException {
        long size = options.segmentSizeBytes();
        if (channel.size() < size) {
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    private static List<SegmentName> segments(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(SegmentName::parse)
                    .filter(name -> name != null)
                    .sorted()
                    .toList();
        }
    }

    /** Accumulates the log while the segments are read. */
    private static final class Replay {
        private final long afterIndex;
        private final List<Entry> entries = new ArrayList<>();
        private long lastIndex;
        private long appliedTerm;
        private HardState hardState = HardState.getDefaultInstance();

        Replay(long afterIndex, long indexBeforeFirstSegment) {
            this.afterIndex = afterIndex;
            this.lastIndex = indexBeforeFirstSegment;
        }

        void record(Path file, RecordType type, byte[] payload, long offset) throws WalCorruptedException {
            try {
                switch (type) {
                    case ENTRY -> entry(file, Entry.parseFrom(payload), offset);
                    case HARD_STATE -> hardState = HardState.parseFrom(payload);
                    case SNAPSHOT -> snapshot(SnapshotMetadata.parseFrom(payload));
                    default -> throw new IllegalStateException("unhandled record type " + type);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new WalCorruptedException(file, offset, "undecodable " + type + " record: " + e.getMessage());
            }
        }

        /** A snapshot record: the log continues after it; a snapshot past the log replaces it. */
        private void snapshot(SnapshotMetadata snapshot) {
            if (snapshot.getIndex() == afterIndex) {
                appliedTerm = snapshot.getTerm();
            }
            if (snapshot.getIndex() > lastIndex) {
                lastIndex = snapshot.getIndex();
                entries.clear();
            }
        }

        private void entry(Path file, Entry entry, long offset) throws WalCorruptedException {
            long index = entry.getIndex();
            if (index > lastIndex + 1) {
                throw new WalCorruptedException(file, offset, "entry index " + index + " leaves a gap after " + lastIndex);
            }
            if (index <= lastIndex) {
                // A later record for an index already seen replaces the log from there on.
                entries.removeIf(e -> e.getIndex() >= index);
            }
            lastIndex = index;
            if (index == afterIndex) {
                appliedTerm = entry.getTerm();
            } else if (index > afterIndex) {
                entries.add(entry);
            }
        }
    }
}
