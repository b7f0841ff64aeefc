package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.Snapshot;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.LogFile;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WalFileType;
import org.rocksdb.WriteOptions;

/**
 * The storage {@link Backend} on RocksDB: one column family per {@link Bucket}, write batches as
 * atomic {@code RocksDB.write} calls, snapshots as RocksDB snapshots. Options are described in
 * {@link RocksDbTuning}.
 *
 * <p>Durability: batches are written with RocksDB's default {@link WriteOptions}: the batch goes
 * to RocksDB's write-ahead log (so it survives a crash of the process) but is not fsync'd (so it
 * may be lost in a crash of the machine). That is all the SPI asks ({@link WriteBatch}):
 * etcetera's own WAL is fsync'd before a write is acknowledged and replayed above the consistent
 * index kept in the {@link Bucket#META} bucket, so the backend needs atomic batches, not synced
 * ones. Syncing here would only add a second fsync to every apply.
 *
 * <p>Thread-safe. Every call holds a {@link CloseGuard} read lock, so {@link #close()} waits for
 * running calls and later calls throw {@link IllegalStateException} instead of touching freed
 * native memory.
 */
final class RocksDbBackend implements Backend {

    private static final System.Logger LOG = System.getLogger(RocksDbBackend.class.getName());
    private static final String TOTAL_SST_FILES_SIZE = "rocksdb.total-sst-files-size";
    private static final String ESTIMATE_LIVE_DATA_SIZE = "rocksdb.estimate-live-data-size";

    static {
        // Extracts and loads the JNI library once per class loader; every RocksDB call needs it.
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final RocksDbTuning tuning;
    private final RocksDB db;
    private final ColumnFamilies families;
    private final WriteOptions writeOptions = new WriteOptions();
    private final ReadOptions latestView = new ReadOptions();
    private final ViewReader latest;
    private final Set<RocksDbSnapshot> openSnapshots = ConcurrentHashMap.newKeySet();
    private final CloseGuard guard = new CloseGuard("rocksdb backend");

    private RocksDbBackend(Path directory, RocksDbTuning tuning, RocksDB db, ColumnFamilies families) {
        this.directory = directory;
        this.tuning = tuning;
        this.db = db;
        this.families = families;
        this.latest = new ViewReader(db, families, latestView);
    }

    /**
     * Opens, creating if needed, the database in {@code directory} with a column family per
     * bucket.
     *
     * @throws StorageException when RocksDB cannot open it (corrupt files, held by another
     *     process or by another open backend of this process)
     */
    static RocksDbBackend open(Path directory) {
        RocksDbTuning tuning = new RocksDbTuning();
        try {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] name : ColumnFamilies.namesToOpen(existingFamilies(directory))) {
                String familyName = new String(name, StandardCharsets.UTF_8);
                descriptors.add(new ColumnFamilyDescriptor(name, tuning.familyOptions(familyName)));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(tuning.dbOptions(), directory.toString(), descriptors, handles);
            RocksDbBackend backend = new RocksDbBackend(directory, tuning, db, ColumnFamilies.of(descriptors, handles));
            LOG.log(Level.INFO, "opened rocksdb backend in {0}", directory);
            return backend;
        } catch (RocksDBException e) {
            tuning.close();
            throw new StorageException("rocksdb backend: cannot open " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The column families of the database in {@code directory}; none when there is none yet. */
    private static List<byte[]> existingFamilies(Path directory) throws RocksDBException {
        if (!Files.exists(directory.resolve("CURRENT"))) {
            return List.of();
        }
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, directory.toString());
        }
    }

    @Override
    public byte[] get(Bucket bucket, byte[] key) {
        return guard.use(() -> latest.get(bucket, key));
    }

    @Override
    public void scan(Bucket bucket, byte[] from, byte[] to, ScanVisitor visitor) {
        guard.run(() -> latest.scan(bucket, from, to, visitor));
    }

    @Override
    public WriteBatch newBatch() {
        return guard.use(() -> new RocksDbWriteBatch(this, families));
    }

    @Override
    public Snapshot snapshot() {
        return guard.use(() -> {
            org.rocksdb.Snapshot snapshot = db.getSnapshot();
            ReadOptions view = new ReadOptions().setSnapshot(snapshot);
            RocksDbSnapshot result = new RocksDbSnapshot(this, snapshot, view, new ViewReader(db, families, view));
            openSnapshots.add(result);
            return result;
        });
    }

    /**
     * Bytes of table files (all levels, including obsolete files not yet deleted) plus live
     * write-ahead log files. RocksDB's own text log, {@code MANIFEST} and {@code OPTIONS} files
     * are left out: they do not grow with the data.
     */
    @Override
    public long sizeBytes() {
        return guard.use(() -> longProperty(TOTAL_SST_FILES_SIZE) + walBytes());
    }

    /**
     * RocksDB's estimate of live table data plus the live write-ahead log (which holds what the
     * memtables hold), clamped to {@code [0, sizeBytes()]}.
     */
    @Override
    public long sizeInUseBytes() {
        return guard.use(() -> {
            long wal = walBytes();
            long size = longProperty(TOTAL_SST_FILES_SIZE) + wal;
            long live = longProperty(ESTIMATE_LIVE_DATA_SIZE) + wal;
            return Math.max(0, Math.min(size, live));
        });
    }

    /**
     * Releases, in order, open snapshots, read and write options, column family handles, the
     * database and its options. Waits for running calls; later calls throw
     * {@link IllegalStateException}. Closing twice does nothing.
     *
     * @throws StorageException when RocksDB reports an error while closing
     */
    @Override
    public void close() {
        guard.close(() -> {
            for (RocksDbSnapshot snapshot : openSnapshots) {
                snapshot.release();
            }
            openSnapshots.clear();
            latestView.close();
            writeOptions.close();
            families.close();
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw Failures.storage("close", e);
            } finally {
                tuning.close();
            }
            LOG.log(Level.DEBUG, "closed rocksdb backend in {0}", directory);
        });
    }

    /** The guard that batches and snapshots hold while they use the database. */
    CloseGuard guard() {
        return guard;
    }

    /** Applies {@code batch} atomically; called by {@link RocksDbWriteBatch#commit()}. */
    void write(org.rocksdb.WriteBatch batch) {
        guard.run(() -> {
            try {
                db.write(writeOptions, batch);
            } catch (RocksDBException e) {
                throw Failures.storage("write batch", e);
            }
        });
    }

    /** The greatest committed key of {@code bucket}, or {@code null} when it is empty. */
    byte[] lastKey(Bucket bucket) {
        return guard.use(() -> latest.lastKey(bucket));
    }

    /** Releases a snapshot; the caller holds the database open. */
    void releaseSnapshot(org.rocksdb.Snapshot snapshot) {
        db.releaseSnapshot(snapshot);
    }

    /** Stops tracking a snapshot its owner closed. */
    void forget(RocksDbSnapshot snapshot) {
        openSnapshots.remove(snapshot);
    }

    private long longProperty(String name) {
        try {
            return db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            throw Failures.storage("property " + name, e);
        }
    }

    private long walBytes() {
        try {
            long bytes = 0;
            for (LogFile file : db.getSortedWalFiles()) {
                if (file.type() == WalFileType.kAliveLogFile) {
                    bytes += file.sizeFileBytes();
                }
            }
            return bytes;
        } catch (RocksDBException e) {
            throw Failures.storage("list WAL files", e);
        }
    }
}
