/**
 * The default storage engine: the storage SPI on RocksDB (provider id {@code rocksdb}).
 *
 * <p>One RocksDB column family per bucket, named by the bucket's id; batches are atomic
 * {@code RocksDB.write} calls with default write options (logged, not fsync'd: etcetera's own WAL
 * provides durability). It has no configuration keys; the tuned RocksDB options (shared 64 MiB
 * block cache, 32 MiB memtable for the key bucket, 4 MiB for the others, at most 512 open files)
 * are listed in the module's README.
 */
module io.etcetera.storage.rocksdb {
    requires io.etcetera.spi;
    requires rocksdbjni;

    provides io.etcetera.spi.storage.BackendProvider with io.etcetera.storage.rocksdb.RocksDbBackendProvider;
}
