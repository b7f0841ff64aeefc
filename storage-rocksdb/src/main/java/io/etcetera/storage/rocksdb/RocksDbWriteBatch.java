package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.WriteBatch;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
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
    /** Per bucket, the greatest key put in this batch: bounds an open-ended {@link #deleteRange}. */
    private final Map<Bucket, byte[]> greatestPut = new EnumMap<>(Bucket.class);
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
                greatestPut.merge(bucket, key.clone(), (a, b) -> Arrays.compareUnsigned(a, b) >= 0 ? a : b);
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

    /**
     * RocksDB's {@code DeleteRange}, a single range tombstone however many keys it covers. It
     * needs a finite end: without {@code to}, the end is just past the greatest key committed or
     * put in this batch so far ({@code key + 0x00}, its successor in byte order).
     */
    @Override
    public void deleteRange(Bucket bucket, byte[] from, byte[] to) {
        Objects.requireNonNull(from, "from");
        ensureOpen();
        backend.guard().run(() -> {
            byte[] end = to != null ? to : successorOfGreatest(bucket);
            if (end == null || Arrays.compareUnsigned(from, end) >= 0) {
                return;
            }
            try {
                batch.deleteRange(families.handle(bucket), from, end);
            } catch (RocksDBException e) {
                throw Failures.storage("batch delete range", e);
            }
        });
    }

    /** Just past the greatest key of {@code bucket} committed or put here, or null when none is. */
    private byte[] successorOfGreatest(Bucket bucket) {
        byte[] committed = backend.lastKey(bucket);
        byte[] put = greatestPut.get(bucket);
        byte[] greatest = committed == null ? put
                : put == null || Arrays.compareUnsigned(committed, put) >= 0 ? committed : put;
        return greatest == null ? null : Arrays.copyOf(greatest, greatest.length + 1);
    }

    @Override
    public void commit() {
        ensureOpen();
        backend.write(batch);
        batch.clear();
        greatestPut.clear();
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
