/** Placeholder: see this module's README.md for what it will hold. */
module io.etcetera.api.rest {
    requires io.etcetera.spi;
}
