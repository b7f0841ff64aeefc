package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Bucket;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;

/**
 * The RocksDB options etcetera opens its database with, and the native objects that hold them.
 *
 * <p>etcetera's data is small keys (17-byte revisions, lease ids, user names) with values of a
 * few hundred bytes to 1.5 MiB (etcd's request size limit). Reads are mostly range scans over
 * revisions, and the in-memory key index answers "does this key exist", so the options stay
 * close to RocksDB's defaults with these changes:
 * <ul>
 *   <li>no bloom filters (RocksDB's default): point lookups of absent keys are rare;</li>
 *   <li>one block cache of {@value #BLOCK_CACHE_BYTES} bytes shared by all column families,
 *       instead of RocksDB's default of one 32 MiB cache per family;</li>
 *   <li>memtables of {@value #KEY_BUCKET_WRITE_BUFFER_BYTES} bytes for the {@code key} bucket,
 *       which takes nearly every write, and {@value #SMALL_BUCKET_WRITE_BUFFER_BYTES} bytes for
 *       the other, small buckets (RocksDB's default is 64 MiB for each);</li>
 *   <li>at most {@value #MAX_OPEN_FILES} table files open at once (RocksDB's default keeps every
 *       file open, which can exhaust file descriptors on a large database);</li>
 *   <li>the write-ahead log is capped at {@value #MAX_TOTAL_WAL_BYTES} bytes, flushing the
 *       column families that hold it back, so a rarely written bucket does not pin old logs;</li>
 *   <li>RocksDB's own text log ({@code LOG}) keeps {@value #KEEP_INFO_LOG_FILES} files of at most
 *       {@value #MAX_INFO_LOG_FILE_BYTES} bytes, at level WARN.</li>
 * </ul>
 * Keys are ordered by RocksDB's default bytewise comparator, which compares unsigned bytes as
 * etcd's {@code bytes.Compare} does. Compression is RocksDB's default (Snappy where built in).
 *
 * <p>Not thread-safe; owned by one {@link RocksDbBackend}, closed after its database.
 */
final class RocksDbTuning implements AutoCloseable {

    static final long BLOCK_CACHE_BYTES = 64L << 20;
    static final long KEY_BUCKET_WRITE_BUFFER_BYTES = 16L << 20;
    static final long SMALL_BUCKET_WRITE_BUFFER_BYTES = 4L << 20;
    static final int MAX_OPEN_FILES = 512;
    static final long MAX_TOTAL_WAL_BYTES = 256L << 20;
    static final long KEEP_INFO_LOG_FILES = 4;
    static final long MAX_INFO_LOG_FILE_BYTES = 16L << 20;

    private final LRUCache blockCache = new LRUCache(BLOCK_CACHE_BYTES);
    private final DBOptions dbOptions = new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxOpenFiles(MAX_OPEN_FILES)
            .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
            .setKeepLogFileNum(KEEP_INFO_LOG_FILES)
            .setMaxLogFileSize(MAX_INFO_LOG_FILE_BYTES)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    private final ColumnFamilyOptions keyBucketOptions = familyOptions(KEY_BUCKET_WRITE_BUFFER_BYTES);
    private final ColumnFamilyOptions smallBucketOptions = familyOptions(SMALL_BUCKET_WRITE_BUFFER_BYTES);

    private ColumnFamilyOptions familyOptions(long writeBufferBytes) {
        return new ColumnFamilyOptions()
                .setWriteBufferSize(writeBufferBytes)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache));
    }

    /** The database-wide options. */
    DBOptions dbOptions() {
        return dbOptions;
    }

    /**
     * The options of the column family named {@code name}: a bucket's id, {@code default} or a
     * family this version does not know.
     */
    ColumnFamilyOptions familyOptions(String name) {
        return Bucket.KEY.id().equals(name) ? keyBucketOptions : smallBucketOptions;
    }

    /** Frees the native options; call after the database is closed. */
    @Override
    public void close() {
        keyBucketOptions.close();
        smallBucketOptions.close();
        dbOptions.close();
        blockCache.close();
    }
}
