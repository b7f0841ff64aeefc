package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.BackendProvider;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The RocksDB storage engine, etcetera's default backend (provider id {@value #ID}, chosen with
 * {@code --storage-backend rocksdb}). Each {@link io.etcetera.spi.storage.Bucket} is a RocksDB
 * column family named by its id; see {@code storage-rocksdb/README.md} for the options used.
 *
 * <p>Thread-safe and stateless: every {@link #open} returns an independent backend. A directory
 * can be open in only one backend at a time (RocksDB holds a {@code LOCK} file).
 */
public final class RocksDbBackendProvider implements BackendProvider {

    /** The provider id. */
    public static final String ID = "rocksdb";

    /** For {@link java.util.ServiceLoader}. */
    public RocksDbBackendProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * Opens, creating if needed, a RocksDB database in {@code directory}.
     *
     * @throws io.etcetera.spi.storage.StorageException when RocksDB cannot open it (corrupt
     *     files, or the directory is already open in a backend)
     */
    @Override
    public Backend open(Path directory) {
        return RocksDbBackend.open(Objects.requireNonNull(directory, "directory"));
    }
}
