/**
 * The contracts between the etcetera kernel and its plugins: the etcd v3 API messages
 * (generated from the {@code .proto} files with etcd's package, field names and numbers),
 * the storage SPI, the API front-end SPI, the kernel's service facades and etcd's error table.
 * Holds interfaces and value types only.
 */
module io.etcetera.spi {
    requires transitive com.google.protobuf;

    exports io.etcetera.spi.api;
    exports io.etcetera.spi.error;
    exports io.etcetera.spi.server;
    exports io.etcetera.spi.storage;
    exports io.etcetera.spi.transport;
    exports io.etcetera.spi.authpb;
    exports io.etcetera.spi.etcdserverpb;
    exports io.etcetera.spi.mvccpb;
    exports io.etcetera.spi.v3electionpb;
    exports io.etcetera.spi.v3lockpb;
}
