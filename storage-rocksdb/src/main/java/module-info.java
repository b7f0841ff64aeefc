/** The default storage engine: the storage SPI on RocksDB (provider id {@code rocksdb}). */
module io.etcetera.storage.rocksdb {
    requires io.etcetera.spi;
    requires rocksdbjni;

}
