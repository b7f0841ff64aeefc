/** Placeholder: see this module's README.md for what it will hold. */
module io.etcetera.auth {
    requires io.etcetera.spi;
}
