package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.StorageException;
import org.rocksdb.RocksDBException;

/** Turns RocksDB's checked failures into the SPI's {@link StorageException}. */
final class Failures {

    private Failures() {
    }

    /** A {@link StorageException} saying that {@code operation} ("write batch") failed. */
    static StorageException storage(String operation, RocksDBException cause) {
        return new StorageException("rocksdb backend: " + operation + " failed: " + cause.getMessage(), cause);
    }
}
