package io.etcetera.spi.storage;

/**
 * An open storage engine: etcd's "backend" (bbolt in etcd). It holds the applied state of the
 * member in {@link Bucket buckets}; the kernel's MVCC store, lease store and membership are
 * built on it.
 *
 * <p>As a {@link ReadView} it reads the latest committed state. Thread-safe: reads, snapshots and
 * batches may be used from any thread; the kernel commits batches from its single apply thread.
 *
 * <p>Lifecycle: any call on a closed backend, or on a snapshot or batch after its own
 * {@code close()}, throws {@link IllegalStateException} (never crashes the process); calling
 * {@code close()} again is harmless. The TCK checks both.
 */
public interface Backend extends ReadView, AutoCloseable {

    /** A new, empty write batch. */
    WriteBatch newBatch();

    /** A consistent point-in-time view; close it when done. */
    Snapshot snapshot();

    /** Bytes the engine's files take on disk (etcd's {@code db_size}). */
    long sizeBytes();

    /**
     * Bytes of live data (etcd's {@code db_size_in_use}); engines that cannot tell exactly
     * return their best estimate, never more than {@link #sizeBytes()}.
     */
    long sizeInUseBytes();

    /** Releases the engine's resources; later calls on this backend fail. */
    @Override
    void close();
}
