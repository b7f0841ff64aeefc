package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.Snapshot;
import org.rocksdb.ReadOptions;

/**
 * A {@link Snapshot} on a RocksDB snapshot: reads go through {@link ReadOptions} that name it, so
 * they see the sequence number at which it was taken and nothing committed later. RocksDB keeps
 * the versions it needs until it is released; it never blocks writers.
 *
 * <p>Thread-safe until closed. Reads after {@link #close()}, or after its backend is closed,
 * throw {@link IllegalStateException}.
 */
final class RocksDbSnapshot implements Snapshot {

    private final RocksDbBackend backend;
    private final org.rocksdb.Snapshot snapshot;
    private final ReadOptions readOptions;
    private final ViewReader reader;
    private final CloseGuard guard = new CloseGuard("rocksdb snapshot");

    RocksDbSnapshot(RocksDbBackend backend, org.rocksdb.Snapshot snapshot, ReadOptions readOptions, ViewReader reader) {
        this.backend = backend;
        this.snapshot = snapshot;
        this.readOptions = readOptions;
        this.reader = reader;
    }

    @Override
    public byte[] get(Bucket bucket, byte[] key) {
        return backend.guard().use(() -> guard.use(() -> reader.get(bucket, key)));
    }

    @Override
    public void scan(Bucket bucket, byte[] from, byte[] to, ScanVisitor visitor) {
        backend.guard().run(() -> guard.run(() -> reader.scan(bucket, from, to, visitor)));
    }

    /** Releases the RocksDB snapshot; does nothing when it or its backend is already closed. */
    @Override
    public void close() {
        // A closed backend has released every snapshot it handed out.
        backend.guard().runIfOpen(() -> {
            release();
            backend.forget(this);
        });
    }

    /** Releases the native snapshot once; the backend calls it while it is still open. */
    void release() {
        guard.close(() -> {
            backend.releaseSnapshot(snapshot);
            readOptions.close();
        });
    }
}
