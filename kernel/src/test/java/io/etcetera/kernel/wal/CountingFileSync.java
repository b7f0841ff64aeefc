package io.etcetera.kernel.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileSync} that really syncs, counts the file and directory syncs, and can hold the
 * next file sync until the test releases it. Thread-safe.
 */
public final class CountingFileSync implements FileSync {

    private final AtomicInteger fileSyncs = new AtomicInteger();
    private final AtomicInteger directorySyncs = new AtomicInteger();
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;

    @Override
    public void syncFile(FileChannel channel) throws IOException {
        CountDownLatch gate = release;
        if (gate != null) {
            release = null;
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            }
        }
        FSYNC.syncFile(channel);
        fileSyncs.incrementAndGet();
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        FSYNC.syncDirectory(directory);
        directorySyncs.incrementAndGet();
    }

    /** File syncs done so far. */
    public int fileSyncs() {
        return fileSyncs.get();
    }

    /** Directory syncs done so far. */
    public int directorySyncs() {
        return directorySyncs.get();
    }

    /**
     * Makes the next file sync wait for {@code release}; returns a latch counted down when that
     * sync has started waiting.
     */
    public CountDownLatch holdNextSync(CountDownLatch releaseLatch) {
        CountDownLatch started = new CountDownLatch(1);
        this.entered = started;
        this.release = releaseLatch;
        return started;
    }
}
