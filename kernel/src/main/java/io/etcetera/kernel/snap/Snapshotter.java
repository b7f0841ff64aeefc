package io.etcetera.kernel.snap;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.Snapshot;
import io.etcetera.kernel.wal.FileSync;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The raft snapshot files of a member (etcd's {@code snap.Snapshotter}), in
 * {@code <data-dir>/member/snap}:
 * <ul>
 *   <li>{@code <term:016x>-<index:016x>.snap}: a snapshot's metadata (index, term, ConfState) as
 *       a serialized {@code raftpb.Snapshot} without data, preceded by its CRC32C (4 bytes,
 *       big-endian). Written to a temp file, fsync'd, renamed and the directory fsync'd, so a
 *       file that exists is whole; one that fails its CRC is renamed {@code .broken} and skipped.</li>
 *   <li>{@code <index:016x>.snap.db}: a backend dump ({@link BackendDump}) received from the
 *       leader, kept until the backend holds it so a crash during the install can redo it.</li>
 *   <li>{@code *.tmp}: dumps being written or received; deleted at start.</li>
 * </ul>
 *
 * <p>Not thread-safe for saving (the Raft loop saves); temp files may be created from any thread.
 */
public final class Snapshotter {

    private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());
    private static final Pattern SNAP_FILE = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");
    private static final Pattern DB_FILE = Pattern.compile("([0-9a-f]{16})\\.snap\\.db");
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;
    private final FileSync fileSync;

    /**
     * Snapshots in {@code directory}, created if absent; leftover temp files are deleted.
     *
     * @throws IOException when the directory cannot be created or listed
     */
    public Snapshotter(Path directory, FileSync fileSync) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.fileSync = fileSync;
        for (Path file : list()) {
            if (file.getFileName().toString().endsWith(TEMP_SUFFIX)) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The directory, {@code member/snap}. */
    public Path directory() {
        return directory;
    }

    /**
     * Saves {@code snapshot}'s metadata durably as {@code <term>-<index>.snap}; its data is not
     * stored (the backend is the data).
     *
     * @throws IOException when writing or fsyncing fails
     */
    public void save(Snapshot snapshot) throws IOException {
        long index = snapshot.getMetadata().getIndex();
        long term = snapshot.getMetadata().getTerm();
        byte[] body = snapshot.toBuilder().clearData().build().toByteArray();
        ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES + body.length).putInt(crc(body)).put(body).flip();
        Path temp = directory.resolve(String.format("%016x-%016x.snap", term, index) + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            fileSync.syncFile(channel);
        }
        Files.move(temp, directory.resolve(String.format("%016x-%016x.snap", term, index)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        fileSync.syncDirectory(directory);
    }

    /**
     * The valid snapshots, newest (highest index, then term) first. A file failing its CRC or
     * not decodable is renamed {@code <name>.broken} with a warning, as etcd does.
     *
     * @throws IOException when the directory cannot be read
     */
    public List<Snapshot> loadAll() throws IOException {
        List<Snapshot> loaded = new ArrayList<>();
        for (Path file : snapFiles()) {
            Optional<Snapshot> snapshot = read(file);
            if (snapshot.isPresent()) {
                loaded.add(snapshot.get());
            } else {
                LOG.log(Level.WARNING, "snapshot file {0} is damaged; renaming it .broken", file);
                Files.move(file, file.resolveSibling(file.getFileName() + ".broken"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return loaded;
    }

    /** The newest valid snapshot, if any. */
    public Optional<Snapshot> loadNewest() throws IOException {
        return loadAll().stream().findFirst();
    }

    /**
     * The {@code .snap} files, newest first.
     *
     * @throws IOException when the directory cannot be read
     */
    public List<Path> snapFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path file : list()) {
            if (SNAP_FILE.matcher(file.getFileName().toString()).matches()) {
                files.add(file);
            }
        }
        files.sort(Comparator.comparing(Snapshotter::snapIndex).thenComparing(Snapshotter::snapTerm).reversed());
        return files;
    }

    /** Where the backend dump of the snapshot at {@code index} is kept: {@code <index>.snap.db}. */
    public Path dbFile(long index) {
        return directory.resolve(String.format("%016x.snap.db", index));
    }

    /**
     * A new empty temp file in the directory ({@code <prefix>-*.tmp}), for a dump being written
     * or received; the caller renames or deletes it. Thread-safe.
     */
    public Path newTempFile(String prefix) throws IOException {
        return Files.createTempFile(directory, prefix + "-", TEMP_SUFFIX);
    }

    /**
     * Moves a verified received dump to {@link #dbFile(long)} durably.
     *
     * @throws IOException when the move or fsync fails
     */
    public Path keepDb(Path received, long index) throws IOException {
        Path db = dbFile(index);
        try (FileChannel channel = FileChannel.open(received, StandardOpenOption.WRITE)) {
            fileSync.syncFile(channel);
        }
        Files.move(received, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fileSync.syncDirectory(directory);
        return db;
    }

    /**
     * Deletes the oldest {@code .snap} files beyond the newest {@code maxSnapshots} (etcd's
     * {@code --max-snapshots}; 0 keeps all), and every {@code .snap.db} dump older than
     * {@code installedIndex} (the backend already holds a newer state).
     *
     * @return the file names deleted
     * @throws IOException when a file cannot be deleted
     */
    public List<String> purge(int maxSnapshots, long installedIndex) throws IOException {
        List<String> deleted = new ArrayList<>();
        List<Path> snaps = snapFiles();
        for (int i = maxSnapshots; maxSnapshots > 0 && i < snaps.size(); i++) {
            Files.deleteIfExists(snaps.get(i));
            deleted.add(snaps.get(i).getFileName().toString());
        }
        for (Path file : list()) {
            Matcher m = DB_FILE.matcher(file.getFileName().toString());
            if (m.matches() && Long.parseUnsignedLong(m.group(1), 16) < installedIndex) {
                Files.deleteIfExists(file);
                deleted.add(file.getFileName().toString());
            }
        }
        if (!deleted.isEmpty()) {
            LOG.log(Level.DEBUG, "purged snapshot files {0}", deleted);
        }
        return deleted;
    }

    private Optional<Snapshot> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < Integer.BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int crc = buffer.getInt();
        byte[] body = new byte[bytes.length - Integer.BYTES];
        buffer.get(body);
        if (crc(body) != crc) {
            return Optional.empty();
        }
        try {
            Snapshot snapshot = Snapshot.parseFrom(body);
            return snapIndex(file) == snapshot.getMetadata().getIndex() && snapTerm(file) == snapshot.getMetadata().getTerm()
                    ? Optional.of(snapshot) : Optional.empty();
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    private static long snapTerm(Path file) {
        Matcher m = SNAP_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseUnsignedLong(m.group(1), 16) : -1;
    }

    private static long snapIndex(Path file) {
        Matcher m = SNAP_FILE.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseUnsignedLong(m.group(2), 16) : -1;
    }

    private static int crc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (int) crc.getValue();
    }
}
