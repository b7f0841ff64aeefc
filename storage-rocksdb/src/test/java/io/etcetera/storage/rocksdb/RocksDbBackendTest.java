package io.etcetera.storage.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.BackendProvider;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.Snapshot;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** RocksDB-specific behaviour of the engine, beyond the storage TCK. */
class RocksDbBackendTest {

    private static final long DEADLINE_MS = 5_000;

    @TempDir
    Path directory;

    private final RocksDbBackendProvider provider = new RocksDbBackendProvider();

    @Test
    void serviceLoaderFindsProviderById() {
        List<String> ids = new ArrayList<>();
        for (BackendProvider found : ServiceLoader.load(BackendProvider.class)) {
            ids.add(found.id());
        }

        assertThat(ids).contains("rocksdb");
    }

    @Test
    void eachBucketIsAColumnFamilyNamedByItsId() throws Exception {
        provider.open(directory).close();

        List<String> families = new ArrayList<>();
        try (Options options = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
                families.add(new String(name, UTF_8));
            }
        }

        List<String> expected = new ArrayList<>(List.of("default"));
        for (Bucket bucket : Bucket.values()) {
            expected.add(bucket.id());
        }
        assertThat(families).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void columnFamilyUnknownToThisVersionDoesNotPreventOpening() throws Exception {
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             ColumnFamilyOptions familyOptions = new ColumnFamilyOptions()) {
            List<ColumnFamilyDescriptor> descriptors = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
                    new ColumnFamilyDescriptor(bytes("future"), familyOptions));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles)) {
                db.put(handles.get(1), bytes("k"), bytes("v"));
                handles.forEach(ColumnFamilyHandle::close);
            }
        }

        try (Backend backend = provider.open(directory)) {
            commitPut(backend, Bucket.KEY, "k", "v");
            assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
        }
    }

    @Test
    void directoryOpenInAnotherBackendFailsWithStorageException() {
        try (Backend first = provider.open(directory)) {
            commitPut(first, Bucket.KEY, "k", "v");

            assertThatThrownBy(() -> provider.open(directory))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("rocksdb")
                    .hasMessageContaining(directory.toString());
            assertThat(first.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
        }
    }

    @Test
    void sizeCountsWrittenBytesBeforeAnyFlush() {
        int valueBytes = 1024;
        int count = 2048; // 2 MiB of values: stays in the memtable and the write-ahead log
        try (Backend backend = provider.open(directory)) {
            try (WriteBatch batch = backend.newBatch()) {
                for (int i = 0; i < count; i++) {
                    batch.put(Bucket.KEY, bytes("key-" + i), new byte[valueBytes]);
                }
                batch.commit();
            }

            assertThat(backend.sizeBytes()).isGreaterThanOrEqualTo((long) valueBytes * count);
            assertThat(backend.sizeInUseBytes()).isBetween(0L, backend.sizeBytes());
        }
    }

    @Test
    void committedBatchIsEmptyAndCanBeFilledAgain() {
        try (Backend backend = provider.open(directory); WriteBatch batch = backend.newBatch()) {
            batch.put(Bucket.KEY, bytes("a"), bytes("1"));
            batch.commit();
            try (WriteBatch other = backend.newBatch()) {
                other.delete(Bucket.KEY, bytes("a"));
                other.commit();
            }
            batch.put(Bucket.KEY, bytes("b"), bytes("2"));
            batch.commit();

            assertThat(backend.get(Bucket.KEY, bytes("a"))).as("first commit is not replayed").isNull();
            assertThat(backend.get(Bucket.KEY, bytes("b"))).isEqualTo(bytes("2"));
        }
    }

    @Test
    void closingFromInsideAScanIsRefusedInsteadOfDeadlocking() {
        try (Backend backend = provider.open(directory)) {
            commitPut(backend, Bucket.KEY, "k", "v");

            assertThatThrownBy(() -> backend.scan(Bucket.KEY, new byte[0], null, (key, value) -> {
                backend.close();
                return true;
            })).isInstanceOf(IllegalStateException.class);
            assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
        }
    }

    /**
     * Readers keep reading while the backend closes under them: each call either completes or
     * throws {@link IllegalStateException}; none touches freed native memory (which would crash
     * the JVM, failing the whole run).
     */
    @Test
    void closeWaitsForRunningReadsAndLaterReadsFail() throws Exception {
        Backend backend = provider.open(directory);
        for (int i = 0; i < 100; i++) {
            commitPut(backend, Bucket.KEY, "key-" + i, "value");
        }
        Snapshot snapshot = backend.snapshot();
        int readers = 2;
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            CountDownLatch reading = new CountDownLatch(readers);
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                boolean useSnapshot = r % 2 == 0;
                results.add(pool.submit(() -> {
                    int reads = 0;
                    while (true) {
                        try {
                            int[] visited = {0};
                            (useSnapshot ? snapshot : backend).scan(Bucket.KEY, new byte[0], null, (key, value) -> {
                                visited[0]++;
                                return true;
                            });
                            assertThat(visited[0]).isEqualTo(100);
                        } catch (IllegalStateException closed) {
                            return reads;
                        }
                        if (++reads == 1) {
                            reading.countDown();
                        }
                    }
                }));
            }
            assertThat(reading.await(DEADLINE_MS, TimeUnit.MILLISECONDS)).isTrue();

            backend.close();

            for (Future<Integer> result : results) {
                assertThat(result.get(DEADLINE_MS, TimeUnit.MILLISECONDS)).isPositive();
            }
            snapshot.close();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(DEADLINE_MS, TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        Backend backend = provider.open(directory);
        Snapshot snapshot = backend.snapshot();
        snapshot.close();
        snapshot.close();
        backend.close();
        backend.close();

        try (Backend reopened = provider.open(directory)) {
            assertThat(reopened.get(Bucket.KEY, bytes("k"))).isNull();
        }
    }

    private static void commitPut(Backend backend, Bucket bucket, String key, String value) {
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(bucket, bytes(key), bytes(value));
            batch.commit();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
