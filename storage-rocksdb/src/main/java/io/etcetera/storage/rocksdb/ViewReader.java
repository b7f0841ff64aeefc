package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView.ScanVisitor;
import java.util.Arrays;
import java.util.Objects;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Point reads and bounded scans of one view of the database: the latest committed state, or a
 * snapshot when {@code view} names one. Shared by {@link RocksDbBackend} and
 * {@link RocksDbSnapshot}, which guard it against use after close.
 *
 * <p>Thread-safe while its owner is open: RocksDB reads are thread-safe, {@code view} is only
 * read, and every scan uses its own iterator and read options.
 */
final class ViewReader {

    private final RocksDB db;
    private final ColumnFamilies families;
    private final ReadOptions view;

    ViewReader(RocksDB db, ColumnFamilies families, ReadOptions view) {
        this.db = db;
        this.families = families;
        this.view = view;
    }

    /** The value of {@code key} in {@code bucket}, or {@code null} when absent. */
    byte[] get(Bucket bucket, byte[] key) {
        Objects.requireNonNull(key, "key");
        try {
            return db.get(families.handle(bucket), view, key);
        } catch (RocksDBException e) {
            throw Failures.storage("get", e);
        }
    }

    /**
     * Visits {@code from <= key < to} in ascending unsigned byte order (RocksDB's bytewise
     * comparator) until {@code visitor} returns {@code false}. The upper bound is given to
     * RocksDB as {@code iterate_upper_bound}, so the iterator stops there without reading the
     * next key or the tombstones beyond it.
     */
    void scan(Bucket bucket, byte[] from, byte[] to, ScanVisitor visitor) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(visitor, "visitor");
        if (to != null && Arrays.compareUnsigned(from, to) >= 0) {
            return;
        }
        // Closed in reverse order: the iterator, then the options that point at the bound.
        try (Slice upperBound = to == null ? null : new Slice(to);
             ReadOptions options = new ReadOptions(view)) {
            if (upperBound != null) {
                options.setIterateUpperBound(upperBound);
            }
            try (RocksIterator iterator = db.newIterator(families.handle(bucket), options)) {
                for (iterator.seek(from); iterator.isValid(); iterator.next()) {
                    if (!visitor.visit(iterator.key(), iterator.value())) {
                        return;
                    }
                }
                iterator.status();
            }
        } catch (RocksDBException e) {
            throw Failures.storage("scan", e);
        }
    }

    /** The greatest key of {@code bucket} in this view, or {@code null} when the bucket is empty. */
    byte[] lastKey(Bucket bucket) {
        try (RocksIterator iterator = db.newIterator(families.handle(bucket), view)) {
            iterator.seekToLast();
            if (iterator.isValid()) {
                return iterator.key();
            }
            iterator.status();
            return null;
        } catch (RocksDBException e) {
            throw Failures.storage("seek to last", e);
        }
    }
}
