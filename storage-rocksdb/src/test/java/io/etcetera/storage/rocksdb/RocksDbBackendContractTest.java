package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.BackendProvider;
import io.etcetera.spi.storage.tck.BackendContractTest;

/** The storage TCK run against the RocksDB engine. */
class RocksDbBackendContractTest extends BackendContractTest {

    @Override
    protected BackendProvider provider() {
        return new RocksDbBackendProvider();
    }
}
