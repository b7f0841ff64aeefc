package io.etcetera.kernel.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * A member's data directory, laid out as etcd's:
 * <pre>
 * &lt;data-dir&gt;/member/wal/      the write-ahead log
 * &lt;data-dir&gt;/member/snap/     Raft snapshot files
 * &lt;data-dir&gt;/member/backend/  the storage engine's files, plus {@value #ENGINE_MARKER} naming the engine
 * &lt;data-dir&gt;/member/lock      held locked while a member runs on the directory
 * </pre>
 * The engine marker makes a data dir written by one storage engine fail clearly, instead of
 * looking empty, when it is opened with another.
 *
 * <p>Not thread-safe; the server opens it once at start and closes it last.
 */
public final class DataDir implements AutoCloseable {

    /** The file in {@code backend/} that names the storage engine that wrote it. */
    public static final String ENGINE_MARKER = "storage-backend";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating as needed) the layout under {@code dataDir} and locks it.
     *
     * @throws IOException when a directory cannot be created or another member holds the lock
     */
    public static DataDir open(Path dataDir) throws IOException {
        Path member = dataDir.resolve("member");
        for (String sub : new String[] {"wal", "snap", "backend"}) {
            Files.createDirectories(member.resolve(sub));
        }
        FileChannel channel = FileChannel.open(member.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data dir " + dataDir + " is in use by another member");
        }
        return new DataDir(dataDir, channel, lock);
    }

    /** {@code <data-dir>/member/wal}. */
    public Path walDir() {
        return root.resolve("member").resolve("wal");
    }

    /** {@code <data-dir>/member/snap}. */
    public Path snapDir() {
        return root.resolve("member").resolve("snap");
    }

    /** {@code <data-dir>/member/backend}. */
    public Path backendDir() {
        return root.resolve("member").resolve("backend");
    }

    /**
     * Claims the backend directory for {@code engine}: writes the marker into an empty one, and
     * checks it in a used one.
     *
     * @throws IOException when the directory was written by another engine (the message names
     *     both and the way to migrate), or holds files without a marker
     */
    public void claimEngine(String engine) throws IOException {
        Path marker = backendDir().resolve(ENGINE_MARKER);
        if (Files.exists(marker)) {
            String writer = Files.readString(marker, StandardCharsets.UTF_8).strip();
            if (!writer.equals(engine)) {
                throw new IOException("data dir " + root + " was written by storage backend '" + writer
                        + "' but --storage-backend is '" + engine + "'; start with --storage-backend " + writer
                        + ", or migrate with snapshot save/restore");
            }
            return;
        }
        try (Stream<Path> files = Files.list(backendDir())) {
            if (files.findAny().isPresent()) {
                throw new IOException("backend dir " + backendDir() + " holds files but no " + ENGINE_MARKER
                        + " marker naming the storage backend that wrote them; refusing to guess");
            }
        }
        // Written (and synced) before the engine creates any file, so no engine file exists without it.
        try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(StandardCharsets.UTF_8.encode(engine + "\n"));
            channel.force(true);
        }
        try (FileChannel dir = FileChannel.open(backendDir(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
