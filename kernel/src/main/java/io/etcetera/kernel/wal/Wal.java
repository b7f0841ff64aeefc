package io.etcetera.kernel.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.HardState;
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
        Replay replay = new Replay(afterIndex, Math.max(0, names.get(0).firstIndex() - 1));
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
                options.fileSync().syncFile(channel);
            }
            if (afterIndex > replay.lastIndex) {
                throw new WalCorruptedException("the backend has applied up to index " + afterIndex
                        + " but the WAL in " + directory + " ends at index " + replay.lastIndex
                        + ": the WAL lost entries");
            }
            channel.position(lastResult.validBytes());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Wal wal = new Wal(directory, options, channel, last, lastResult.validBytes(), replay.lastIndex,
                replay.hardState);
        return new Recovered(wal, replay.hardState, replay.lastIndex, replay.appliedTerm, replay.entries);
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
            options.fileSync().syncFile(channel);
            options.fileSync().syncDirectory(directory);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
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
                    default -> throw new IllegalStateException("unhandled record type " + type);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new WalCorruptedException(file, offset, "undecodable " + type + " record: " + e.getMessage());
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
