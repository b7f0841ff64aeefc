package io.etcetera.spi.storage;

/**
 * Point reads and ordered range scans over the backend's buckets.
 *
 * <p>Keys compare as unsigned bytes, as in etcd ({@code bytes.Compare}). Keys are non-empty
 * (bbolt, etcd's engine, forbids empty keys); values may be empty. A {@link Backend} itself
 * is a read view of the latest committed state; {@link Backend#snapshot()} returns one frozen at
 * a point in time. Implementations are thread-safe; byte arrays passed in are not retained and
 * arrays returned belong to the caller.
 */
public interface ReadView {

    /**
     * The value of {@code key} in {@code bucket}.
     *
     * @return the value, or {@code null} when the key is absent
     * @throws StorageException when the engine fails to read
     */
    byte[] get(Bucket bucket, byte[] key);

    /**
     * Visits the entries of {@code bucket} with {@code from <= key < to} in ascending unsigned
     * byte order, until the visitor returns {@code false}.
     *
     * @param from inclusive lower bound, never null; an empty array means the first key of the bucket
     * @param to exclusive upper bound; {@code null} means no upper bound
     * @throws StorageException when the engine fails to read
     */
    void scan(Bucket bucket, byte[] from, byte[] to, ScanVisitor visitor);

    /** Receives the entries of a {@link #scan}. */
    @FunctionalInterface
    interface ScanVisitor {
        /**
         * @return {@code true} to continue with the next entry, {@code false} to stop the scan
         */
        boolean visit(byte[] key, byte[] value);
    }
}
