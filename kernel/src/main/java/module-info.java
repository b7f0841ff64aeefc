/**
 * The etcetera kernel: MVCC store, write-ahead log, Raft (multi-member over a peer transport plugin), apply loop, and
 * later watch, lease and auth; the plugin registry that finds storage engines and API front ends
 * with {@link java.util.ServiceLoader}; and the server that ties them together.
 *
 * <p>Only {@code io.etcetera.kernel} ({@link io.etcetera.kernel.EtceteraServer},
 * {@link io.etcetera.kernel.ServerConfig}) is API. The packages generated from the kernel's own
 * {@code .proto} files are opened to protobuf alone, which reads them reflectively.
 */
module io.etcetera.kernel {
    requires transitive io.etcetera.spi;

    exports io.etcetera.kernel;
    exports io.etcetera.kernel.lease.pb to com.google.protobuf;
    exports io.etcetera.kernel.raft.pb to com.google.protobuf;
    exports io.etcetera.kernel.server.pb to com.google.protobuf;

    uses io.etcetera.spi.storage.BackendProvider;
    uses io.etcetera.spi.api.ApiFrontEndProvider;
    uses io.etcetera.spi.transport.PeerTransportProvider;
}
