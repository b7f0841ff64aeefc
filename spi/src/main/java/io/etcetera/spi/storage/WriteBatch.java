package io.etcetera.spi.storage;

/**
 * An atomic group of writes: after {@link #commit()} either all of them are visible to readers
 * or none is, also after a crash of the process. Not thread-safe: one thread fills and commits
 * a batch. A batch that is closed without commit is discarded.
 *
 * <p>Durability: a committed batch survives a crash of the process; surviving a crash of the
 * machine is not required, because etcetera's write-ahead log is fsync'd before a write is
 * acknowledged and is replayed above the consistent index stored in the {@link Bucket#META}
 * bucket. Engines must therefore keep the batch atomic, not necessarily synced.
 *
 * <p>The batch does not keep the arrays passed to it (callers may reuse them). After
 * {@link #commit()} the caller closes the batch; reusing a committed batch is not part of the
 * contract.
 */
public interface WriteBatch extends AutoCloseable {

    /** Sets {@code key} to {@code value} in {@code bucket}. */
    void put(Bucket bucket, byte[] key, byte[] value);

    /** Removes {@code key} from {@code bucket}; absent keys are ignored. */
    void delete(Bucket bucket, byte[] key);

    /**
     * Removes every key {@code k} of {@code bucket} with {@code from <= k < to} in unsigned byte
     * order: those committed before and those put earlier in this batch; writes queued after it in
     * this batch are kept. Restoring a snapshot uses it to empty every bucket in the same atomic
     * batch that writes the snapshot's contents.
     *
     * @param from inclusive lower bound, never null; an empty array means the first key of the bucket
     * @param to exclusive upper bound; {@code null} means no upper bound (the whole rest of the bucket)
     */
    void deleteRange(Bucket bucket, byte[] from, byte[] to);

    /**
     * Applies the writes atomically.
     *
     * @throws StorageException when the engine fails to write; nothing of the batch is applied
     */
    void commit();

    @Override
    void close();
}
