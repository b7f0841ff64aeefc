package io.etcetera.storage.rocksdb;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Makes a native RocksDB resource fail cleanly after it is closed, instead of crashing the JVM.
 *
 * <p>RocksJava frees native memory on {@code close()} and does not check handles on later calls:
 * a read on a closed {@code RocksDB} or {@code ReadOptions} dereferences freed memory. Every use
 * therefore runs under the read lock of this guard and fails with {@link IllegalStateException}
 * once it is closed; {@link #close(Runnable)} takes the write lock, so it waits for in-flight
 * uses to finish before it frees anything.
 *
 * <p>Thread-safe. Uses are reentrant (a scan visitor may read the same view again); closing from
 * inside a use of the same guard is refused, since it would wait for itself.
 */
final class CloseGuard {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String name;
    /** Guarded by {@link #lock}: read under the read lock, written under the write lock. */
    private boolean closed;

    /** A guard for the resource called {@code name} in error messages ("rocksdb backend"). */
    CloseGuard(String name) {
        this.name = name;
    }

    /**
     * Runs {@code use} while the resource is open and keeps it open until {@code use} returns.
     *
     * @throws IllegalStateException when the resource is closed
     */
    <T> T use(Supplier<T> use) {
        Lock readLock = lock.readLock();
        readLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            return use.get();
        } finally {
            readLock.unlock();
        }
    }

    /** Like {@link #use(Supplier)} for an action without a result. */
    void run(Runnable use) {
        use(() -> {
            use.run();
            return null;
        });
    }

    /**
     * Runs {@code use} if the resource is open and keeps it open until {@code use} returns.
     *
     * @return {@code false}, without running {@code use}, when the resource is already closed
     */
    boolean runIfOpen(Runnable use) {
        Lock readLock = lock.readLock();
        readLock.lock();
        try {
            if (closed) {
                return false;
            }
            use.run();
            return true;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Marks the resource closed and runs {@code release} once, after every in-flight use has
     * returned. Later calls do nothing.
     *
     * @return {@code true} when this call closed the resource
     * @throws IllegalStateException when called from inside a use of this guard
     */
    boolean close(Runnable release) {
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException("cannot close " + name + " from inside one of its own calls");
        }
        Lock writeLock = lock.writeLock();
        writeLock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            release.run();
            return true;
        } finally {
            writeLock.unlock();
        }
    }
}
