package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.WriteBatch;
import java.util.Objects;
import org.rocksdb.RocksDBException;

/**
 * A {@link WriteBatch} on an {@link org.rocksdb.WriteBatch}: writes are collected in RocksDB's
 * native batch and applied by one {@code RocksDB.write}, which RocksDB makes atomic (one WAL
 * record, one sequence number range, made visible to readers at once).
 *
 * <p>After {@link #commit()} the batch is empty and may be filled again. Closing it frees the
 * native batch and discards uncommitted writes. Not thread-safe: one thread fills, commits and
 * closes it. Use after {@link #close()}, or after the backend is closed, throws
 * {@link IllegalStateException}.
 */
final class RocksDbWriteBatch implements WriteBatch {

    private final RocksDbBackend backend;
    private final ColumnFamilies families;
    private final org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch();
    private boolean closed;

    RocksDbWriteBatch(RocksDbBackend backend, ColumnFamilies families) {
        this.backend = backend;
        this.families = families;
    }

    @Override
    public void put(Bucket bucket, byte[] key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        ensureOpen();
        // The column family handle is native: hold the backend open while it is read.
        backend.guard().run(() -> {
            try {
                batch.put(families.handle(bucket), key, value);
            } catch (RocksDBException e) {
                throw Failures.storage("batch put", e);
            }
        });
    }

    @Override
    public void delete(Bucket bucket, byte[] key) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        backend.guard().run(() -> {
            try {
                batch.delete(families.handle(bucket), key);
            } catch (RocksDBException e) {
                throw Failures.storage("batch delete", e);
            }
        });
    }

    @Override
    public void commit() {
        ensureOpen();
        backend.write(batch);
        batch.clear();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            batch.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("rocksdb write batch is closed");
        }
    }
}
