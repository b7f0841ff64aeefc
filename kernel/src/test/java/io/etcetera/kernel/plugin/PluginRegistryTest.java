package io.etcetera.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.api.ApiFrontEndProvider;
import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.BackendProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    private record NamedBackend(String id) implements BackendProvider {
        @Override
        public Backend open(Path directory) {
            throw new IllegalStateException("not opened in this test");
        }
    }

    private record NamedFrontEnd(String id) implements ApiFrontEndProvider {
        @Override
        public ApiFrontEnd create(ApiContext context) {
            throw new IllegalStateException("not created in this test");
        }
    }

    @Test
    void serviceLoaderFindsTheRocksDbBackendOnTheClassPath() {
        PluginRegistry registry = PluginRegistry.load();

        assertThat(registry.backendIds()).contains("rocksdb");
        assertThat(registry.backend("rocksdb").id()).isEqualTo("rocksdb");
        assertThat(Plugins.loadedMessage("storage backend", "rocksdb", registry.backend("rocksdb")))
                .isEqualTo("loaded storage backend rocksdb (io.etcetera.storage.rocksdb)");
    }

    @Test
    void providersAreChosenById() {
        PluginRegistry registry = new PluginRegistry(
                List.of(new NamedBackend("lmdb"), new NamedBackend("rocksdb")), List.of(new NamedFrontEnd("grpc")));

        assertThat(registry.backend("lmdb").id()).isEqualTo("lmdb");
        assertThat(registry.apiFrontEnd("grpc").id()).isEqualTo("grpc");
        assertThat(registry.apiFrontEnds(List.of("grpc"))).extracting(ApiFrontEndProvider::id).containsExactly("grpc");
    }

    @Test
    void anUnknownIdNamesTheIdAndTheAvailableOnes() {
        PluginRegistry registry = new PluginRegistry(
                List.of(new NamedBackend("rocksdb"), new NamedBackend("lmdb")), List.of());

        assertThatThrownBy(() -> registry.backend("chronicle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown storage backend 'chronicle'; available: lmdb, rocksdb");
        assertThatThrownBy(() -> registry.apiFrontEnd("grpc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown API front end 'grpc'; available: none");
    }

    @Test
    void twoProvidersWithOneIdAreRefused() {
        assertThatThrownBy(() -> new PluginRegistry(List.of(new NamedBackend("x"), new NamedBackend("x")), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two storage backend plugins claim the id 'x'");
    }
}
