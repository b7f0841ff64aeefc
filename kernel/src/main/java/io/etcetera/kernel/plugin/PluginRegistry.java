package io.etcetera.kernel.plugin;

import io.etcetera.spi.api.ApiFrontEndProvider;
import io.etcetera.spi.storage.BackendProvider;
import io.etcetera.spi.transport.PeerTransportProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The plugins the kernel can use, found with {@link ServiceLoader} (the module path's
 * {@code provides}, or {@code META-INF/services} on the class path) and chosen by their stable
 * id: storage backends ({@code --storage-backend}), API front ends and peer transports ({@code netty}). Each provider is logged
 * when loaded, e.g. {@code loaded storage backend rocksdb (io.etcetera.storage.rocksdb)}.
 *
 * <p>Thread-safe (immutable once built).
 */
public final class PluginRegistry {

    private final Plugins<BackendProvider> backends;
    private final Plugins<ApiFrontEndProvider> apiFrontEnds;
    private final Plugins<PeerTransportProvider> peerTransports;

    /**
     * A registry of the given providers (tests pass their own).
     *
     * @throws IllegalStateException when two providers of one kind claim the same id
     */
    public PluginRegistry(Iterable<? extends BackendProvider> backends, Iterable<? extends ApiFrontEndProvider> apiFrontEnds) {
        this(backends, apiFrontEnds, List.of());
    }

    /**
     * A registry of the given providers, peer transports included.
     *
     * @throws IllegalStateException when two providers of one kind claim the same id
     */
    public PluginRegistry(Iterable<? extends BackendProvider> backends, Iterable<? extends ApiFrontEndProvider> apiFrontEnds,
            Iterable<? extends PeerTransportProvider> peerTransports) {
        this.backends = new Plugins<>("storage backend", backends, BackendProvider::id);
        this.apiFrontEnds = new Plugins<>("API front end", apiFrontEnds, ApiFrontEndProvider::id);
        this.peerTransports = new Plugins<>("peer transport", peerTransports, PeerTransportProvider::id);
    }

    /** Every provider {@link ServiceLoader} finds. */
    public static PluginRegistry load() {
        return new PluginRegistry(
                ServiceLoader.load(BackendProvider.class), ServiceLoader.load(ApiFrontEndProvider.class),
                ServiceLoader.load(PeerTransportProvider.class));
    }

    /**
     * The storage backend with {@code id}.
     *
     * @throws IllegalArgumentException naming {@code id} and the available ids when there is none
     */
    public BackendProvider backend(String id) {
        return backends.get(id);
    }

    /**
     * The API front end with {@code id}.
     *
     * @throws IllegalArgumentException naming {@code id} and the available ids when there is none
     */
    public ApiFrontEndProvider apiFrontEnd(String id) {
        return apiFrontEnds.get(id);
    }

    /**
     * The peer transport with {@code id} ({@code netty}).
     *
     * @throws IllegalArgumentException naming {@code id} and the available ids when there is none
     */
    public PeerTransportProvider peerTransport(String id) {
        return peerTransports.get(id);
    }

    /** The ids of the storage backends, sorted. */
    public Set<String> backendIds() {
        return backends.ids();
    }

    /** The ids of the API front ends, sorted. */
    public Set<String> apiFrontEndIds() {
        return apiFrontEnds.ids();
    }

    /** The API front ends for {@code ids}, in order; fails on the first unknown id. */
    public List<ApiFrontEndProvider> apiFrontEnds(List<String> ids) {
        return ids.stream().map(this::apiFrontEnd).toList();
    }
}
