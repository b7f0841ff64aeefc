/** Placeholder: see this module's README.md for what it will hold. */
module io.etcetera.storage.lmdb {
    requires io.etcetera.spi;
}
