/** Placeholder: see this module's README.md for what it will hold. */
module io.etcetera.transport.netty {
    requires io.etcetera.spi;
}
