package io.etcetera.kernel.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the WAL makes its writes durable. Injected so that tests can count (or delay) fsyncs;
 * production uses {@link #FSYNC}. Implementations must be safe to call from the thread that owns
 * the WAL.
 */
public interface FileSync {

    /** Forces the data written to {@code channel} to stable storage (fsync / fdatasync). */
    void syncFile(FileChannel channel) throws IOException;

    /**
     * Forces a directory's entries to stable storage, so that a newly created file survives a
     * crash of the machine (POSIX requires an fsync of the directory for that).
     */
    void syncDirectory(Path directory) throws IOException;

    /** The real thing: {@link FileChannel#force(boolean)} on the file and on the directory. */
    FileSync FSYNC = new FileSync() {
        @Override
        public void syncFile(FileChannel channel) throws IOException {
            // Data only (fdatasync), as etcd's WAL does: the file's size, needed to read the
            // data back, is flushed with it; timestamps are not worth a second write.
            channel.force(false);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    };
}
