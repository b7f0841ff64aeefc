package io.etcetera.spi.storage;

import java.nio.file.Path;

/**
 * A storage engine plugin, found with {@link java.util.ServiceLoader} and chosen by {@link #id()}
 * ({@code --storage-backend rocksdb}). Implementations must have a public no-argument constructor
 * and be thread-safe.
 */
public interface BackendProvider {

    /** The stable lowercase id used in config, logs and errors ({@code rocksdb}, {@code lmdb}). */
    String id();

    /**
     * Opens, creating if needed, the engine's files in {@code directory}.
     *
     * @param directory the engine's own directory ({@code <data-dir>/member/backend}); it exists
     * @throws StorageException when the files cannot be opened or are corrupt
     */
    Backend open(Path directory);
}
