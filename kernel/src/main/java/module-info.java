/**
 * The etcetera kernel: MVCC store, write-ahead log, apply loop, (later) Raft, watch, lease and
 * auth; the plugin registry that finds storage engines and API front ends with
 * {@link java.util.ServiceLoader}; and the server that ties them together.
 */
module io.etcetera.kernel {
    requires transitive io.etcetera.spi;

    exports io.etcetera.kernel;

    uses io.etcetera.spi.storage.BackendProvider;
    uses io.etcetera.spi.api.ApiFrontEndProvider;
}
