/** Placeholder: see this module's README.md for what it will hold. */
module io.etcetera.discovery {
    requires io.etcetera.spi;
}
