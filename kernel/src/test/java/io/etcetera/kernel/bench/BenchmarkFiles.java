package io.etcetera.kernel.bench;

import io.etcetera.spi.storage.BackendProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** Temp directories and the RocksDB engine for the micro-benchmarks. Stateless. */
final class BenchmarkFiles {

    private BenchmarkFiles() {
    }

    /** A fresh temp directory; the benchmark deletes it in its tear-down. */
    static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The storage engine with id {@code rocksdb}, found as the server finds it (ServiceLoader). */
    static BackendProvider rocksDb() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(provider -> provider.id().equals("rocksdb")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no rocksdb BackendProvider on the class path"));
    }

    /** Deletes {@code directory} and everything under it. */
    static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
