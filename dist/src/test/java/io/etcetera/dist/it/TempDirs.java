package io.etcetera.dist.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Creates and deletes scratch directories for members and etcdctl runs. Thread-safety: stateless. */
final class TempDirs {

    private TempDirs() {
    }

    /** Creates a fresh directory under the JVM's temp dir, named {@code prefix<random>}. */
    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir " + prefix, e);
        }
    }

    /**
     * Deletes {@code dir} and everything below it; {@code null} or a missing dir is a no-op.
     *
     * @throws UncheckedIOException if a file cannot be deleted (a leak worth seeing)
     */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
