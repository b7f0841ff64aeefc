package io.etcetera.spi.storage.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.BackendProvider;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView;
import io.etcetera.spi.storage.Snapshot;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage SPI contract as tests: every storage engine, etcetera's own and any vendor's, runs
 * this class unchanged through a subclass that names its {@link BackendProvider}:
 *
 * <pre>{@code
 * class MyBackendContractTest extends BackendContractTest {
 *     protected BackendProvider provider() { return new MyBackendProvider(); }
 * }
 * }</pre>
 *
 * <p>The cases follow the Javadoc of {@link Backend}, {@link ReadView}, {@link WriteBatch} and
 * {@link Snapshot}; the ordering and bucket rules are those of etcd's bbolt backend
 * ({@code mvcc/backend}), which orders keys with {@code bytes.Compare}. Each test opens a fresh
 * backend in its own directory; the whole class runs in a few seconds.
 */
public abstract class BackendContractTest {

    /** Limit for the concurrent read/commit scenario, well above its normal run time. */
    private static final long CONCURRENCY_DEADLINE_MS = 5_000;

    /** The engine under test. */
    protected abstract BackendProvider provider();

    @TempDir
    protected Path tempDir;

    private Path directory;
    private Backend backend;

    @BeforeEach
    void openBackend() throws IOException {
        directory = Files.createDirectories(tempDir.resolve("backend"));
        backend = provider().open(directory);
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    // --- provider

    @Test
    void providerIdIsStableLowercase() {
        assertThat(provider().id()).matches("[a-z][a-z0-9-]*");
        assertThat(provider().id()).isEqualTo(provider().id());
    }

    // --- point reads and writes

    @Test
    void getOfAbsentKeyReturnsNull() {
        assertThat(backend.get(Bucket.KEY, bytes("absent"))).isNull();
    }

    @Test
    void committedPutIsReadBack() {
        put(Bucket.KEY, "k", "v");

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
    }

    @Test
    void laterPutOverwritesEarlierOne() {
        put(Bucket.KEY, "k", "v1");
        put(Bucket.KEY, "k", "v2");

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v2"));
    }

    @Test
    void committedDeleteRemovesKey() {
        put(Bucket.KEY, "k", "v");
        try (WriteBatch batch = backend.newBatch()) {
            batch.delete(Bucket.KEY, bytes("k"));
            batch.commit();
        }

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isNull();
        assertThat(scanAll(backend, Bucket.KEY)).isEmpty();
    }

    @Test
    void deleteOfAbsentKeyIsIgnored() {
        try (WriteBatch batch = backend.newBatch()) {
            batch.delete(Bucket.KEY, bytes("absent"));
            batch.commit();
        }

        assertThat(backend.get(Bucket.KEY, bytes("absent"))).isNull();
    }

    @Test
    void emptyValueIsStoredAndDistinctFromAbsent() {
        put(Bucket.META, "empty", "");

        assertThat(backend.get(Bucket.META, bytes("empty"))).isNotNull().isEmpty();
        assertThat(scanAll(backend, Bucket.META)).containsExactly(entry("empty", ""));
    }

    @Test
    void largeValueIsReadBackWhole() {
        byte[] value = new byte[1536 * 1024]; // etcd's default max request size, 1.5 MiB
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(Bucket.KEY, bytes("big"), value);
            batch.commit();
        }

        assertThat(backend.get(Bucket.KEY, bytes("big"))).isEqualTo(value);
    }

    @Test
    void returnedArraysBelongToTheCaller() {
        put(Bucket.KEY, "k", "v");

        byte[] first = backend.get(Bucket.KEY, bytes("k"));
        first[0] = 'x';

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
    }

    // --- buckets

    @Test
    void bucketsAreIsolatedKeySpaces() {
        try (WriteBatch batch = backend.newBatch()) {
            for (Bucket bucket : Bucket.values()) {
                batch.put(bucket, bytes("same"), bytes(bucket.id()));
            }
            batch.commit();
        }
        try (WriteBatch batch = backend.newBatch()) {
            batch.delete(Bucket.LEASE, bytes("same"));
            batch.commit();
        }

        for (Bucket bucket : Bucket.values()) {
            if (bucket == Bucket.LEASE) {
                assertThat(backend.get(bucket, bytes("same"))).isNull();
                assertThat(scanAll(backend, bucket)).isEmpty();
            } else {
                assertThat(backend.get(bucket, bytes("same"))).as(bucket.id()).isEqualTo(bytes(bucket.id()));
                assertThat(scanAll(backend, bucket)).containsExactly(entry("same", bucket.id()));
            }
        }
    }

    // --- scans

    @Test
    void scanOrdersKeysAsUnsignedBytes() {
        List<byte[]> keys = List.of(
                new byte[] {(byte) 0xff},
                new byte[] {(byte) 0x80},
                new byte[] {0x7f, 0x00},
                new byte[] {0x7f},
                new byte[] {0x01, (byte) 0xff},
                new byte[] {0x01},
                new byte[] {0x00});
        try (WriteBatch batch = backend.newBatch()) {
            for (byte[] key : keys) {
                batch.put(Bucket.KEY, key, key);
            }
            batch.commit();
        }

        List<byte[]> scanned = new ArrayList<>();
        backend.scan(Bucket.KEY, new byte[0], null, (key, value) -> scanned.add(key));

        assertThat(scanned).containsExactly(
                new byte[] {0x00},
                new byte[] {0x01},
                new byte[] {0x01, (byte) 0xff},
                new byte[] {0x7f},
                new byte[] {0x7f, 0x00},
                new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xff});
    }

    @Test
    void scanVisitsFromInclusiveToExclusive() {
        putAll(Bucket.KEY, "a", "b", "c", "d", "e");

        assertThat(scanKeys(Bucket.KEY, "b", "d")).containsExactly("b", "c");
    }

    @Test
    void scanBoundsNeedNotBeKeys() {
        putAll(Bucket.KEY, "a", "b", "c", "d", "e");

        assertThat(scanKeys(Bucket.KEY, "a0", "c0")).containsExactly("b", "c");
    }

    @Test
    void scanFromEmptyStartsAtFirstKey() {
        putAll(Bucket.KEY, "a", "b", "c");

        assertThat(scanKeys(Bucket.KEY, "", "c")).containsExactly("a", "b");
    }

    @Test
    void scanToNullRunsToLastKey() {
        putAll(Bucket.KEY, "a", "b", "c");

        assertThat(scanKeys(Bucket.KEY, "b", null)).containsExactly("b", "c");
    }

    @Test
    void scanWithEmptyOrInvertedRangeVisitsNothing() {
        putAll(Bucket.KEY, "a", "b", "c");

        assertThat(scanKeys(Bucket.KEY, "b", "b")).isEmpty();
        assertThat(scanKeys(Bucket.KEY, "c", "a")).isEmpty();
        assertThat(scanKeys(Bucket.KEY, "d", null)).isEmpty();
    }

    @Test
    void scanOfEmptyBucketVisitsNothing() {
        putAll(Bucket.KEY, "a");

        assertThat(scanAll(backend, Bucket.ALARM)).isEmpty();
    }

    @Test
    void scanStopsWhenVisitorReturnsFalse() {
        putAll(Bucket.KEY, "a", "b", "c", "d");

        List<String> visited = new ArrayList<>();
        backend.scan(Bucket.KEY, new byte[0], null, (key, value) -> {
            visited.add(string(key));
            return visited.size() < 2;
        });

        assertThat(visited).containsExactly("a", "b");
    }

    @Test
    void scanPassesEachKeyWithItsValue() {
        put(Bucket.LEASE, "1", "one");
        put(Bucket.LEASE, "2", "two");

        assertThat(scanAll(backend, Bucket.LEASE)).containsExactly(entry("1", "one"), entry("2", "two"));
    }

    // --- batches

    @Test
    void batchIsInvisibleBeforeCommit() {
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(Bucket.KEY, bytes("k"), bytes("v"));
            batch.put(Bucket.META, bytes("consistent_index"), bytes("7"));

            assertThat(backend.get(Bucket.KEY, bytes("k"))).isNull();
            assertThat(scanAll(backend, Bucket.META)).isEmpty();

            batch.commit();
        }

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
        assertThat(backend.get(Bucket.META, bytes("consistent_index"))).isEqualTo(bytes("7"));
    }

    @Test
    void batchClosedWithoutCommitIsDiscarded() {
        put(Bucket.KEY, "kept", "v");
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(Bucket.KEY, bytes("k"), bytes("v"));
            batch.delete(Bucket.KEY, bytes("kept"));
        }

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isNull();
        assertThat(backend.get(Bucket.KEY, bytes("kept"))).isEqualTo(bytes("v"));
    }

    @Test
    void lastWriteToAKeyInABatchWins() {
        put(Bucket.KEY, "deleted-then-put", "old");
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(Bucket.KEY, bytes("put-then-deleted"), bytes("v"));
            batch.delete(Bucket.KEY, bytes("put-then-deleted"));
            batch.delete(Bucket.KEY, bytes("deleted-then-put"));
            batch.put(Bucket.KEY, bytes("deleted-then-put"), bytes("new"));
            batch.put(Bucket.KEY, bytes("put-twice"), bytes("first"));
            batch.put(Bucket.KEY, bytes("put-twice"), bytes("second"));
            batch.commit();
        }

        assertThat(backend.get(Bucket.KEY, bytes("put-then-deleted"))).isNull();
        assertThat(backend.get(Bucket.KEY, bytes("deleted-then-put"))).isEqualTo(bytes("new"));
        assertThat(backend.get(Bucket.KEY, bytes("put-twice"))).isEqualTo(bytes("second"));
    }

    @Test
    void batchesCommitInOrder() {
        try (WriteBatch first = backend.newBatch(); WriteBatch second = backend.newBatch()) {
            first.put(Bucket.KEY, bytes("k"), bytes("first"));
            second.put(Bucket.KEY, bytes("k"), bytes("second"));
            first.commit();
            second.commit();
        }

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("second"));
    }

    // --- snapshots

    @Test
    void snapshotDoesNotSeeLaterCommits() {
        put(Bucket.KEY, "changed", "before");
        put(Bucket.KEY, "deleted", "before");
        try (Snapshot snapshot = backend.snapshot()) {
            try (WriteBatch batch = backend.newBatch()) {
                batch.put(Bucket.KEY, bytes("changed"), bytes("after"));
                batch.delete(Bucket.KEY, bytes("deleted"));
                batch.put(Bucket.KEY, bytes("added"), bytes("after"));
                batch.commit();
            }

            assertThat(snapshot.get(Bucket.KEY, bytes("changed"))).isEqualTo(bytes("before"));
            assertThat(snapshot.get(Bucket.KEY, bytes("deleted"))).isEqualTo(bytes("before"));
            assertThat(snapshot.get(Bucket.KEY, bytes("added"))).isNull();
            assertThat(scanAll(snapshot, Bucket.KEY))
                    .containsExactly(entry("changed", "before"), entry("deleted", "before"));

            assertThat(backend.get(Bucket.KEY, bytes("changed"))).isEqualTo(bytes("after"));
            assertThat(backend.get(Bucket.KEY, bytes("deleted"))).isNull();
            assertThat(scanAll(backend, Bucket.KEY))
                    .containsExactly(entry("added", "after"), entry("changed", "after"));
        }
    }

    @Test
    void snapshotsTakenAtDifferentTimesSeeDifferentStates() {
        put(Bucket.META, "rev", "1");
        try (Snapshot one = backend.snapshot()) {
            put(Bucket.META, "rev", "2");
            try (Snapshot two = backend.snapshot()) {
                put(Bucket.META, "rev", "3");

                assertThat(one.get(Bucket.META, bytes("rev"))).isEqualTo(bytes("1"));
                assertThat(two.get(Bucket.META, bytes("rev"))).isEqualTo(bytes("2"));
                assertThat(backend.get(Bucket.META, bytes("rev"))).isEqualTo(bytes("3"));
            }
        }
    }

    @Test
    void snapshotScanHonoursBoundsAndStop() {
        putAll(Bucket.KEY, "a", "b", "c", "d");
        try (Snapshot snapshot = backend.snapshot()) {
            List<String> visited = new ArrayList<>();
            snapshot.scan(Bucket.KEY, bytes("b"), bytes("d"), (key, value) -> {
                visited.add(string(key));
                return true;
            });
            assertThat(visited).containsExactly("b", "c");

            visited.clear();
            snapshot.scan(Bucket.KEY, new byte[0], null, (key, value) -> {
                visited.add(string(key));
                return false;
            });
            assertThat(visited).containsExactly("a");
        }
    }

    // --- range deletion (snapshot restore empties buckets with it)

    @Test
    void deleteRangeRemovesOnlyKeysWithinBounds() {
        putAll(Bucket.KEY, "a", "b", "bb", "c", "d");
        try (WriteBatch batch = backend.newBatch()) {
            batch.deleteRange(Bucket.KEY, bytes("b"), bytes("d"));
            batch.commit();
        }
        assertThat(scanKeys(Bucket.KEY, "", null)).containsExactly("a", "d");
    }

    @Test
    void deleteRangeWithoutUpperBoundEmptiesTheRestOfTheBucketOnly() {
        putAll(Bucket.KEY, "a", "m", "z", "zz\u00ff\u00ff");
        putAll(Bucket.META, "a", "z");
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(Bucket.KEY, new byte[] {(byte) 0xff, (byte) 0xff, 1}, bytes("put earlier in the batch"));
            batch.deleteRange(Bucket.KEY, bytes("m"), null);
            batch.commit();
        }
        assertThat(scanKeys(Bucket.KEY, "", null)).containsExactly("a");
        assertThat(scanKeys(Bucket.META, "", null)).containsExactly("a", "z");
    }

    @Test
    void deleteRangeFromEmptyKeyClearsTheBucketAndKeepsLaterPutsOfTheBatch() {
        putAll(Bucket.MEMBERS, "old-1", "old-2");
        try (WriteBatch batch = backend.newBatch()) {
            batch.deleteRange(Bucket.MEMBERS, new byte[0], null);
            batch.put(Bucket.MEMBERS, bytes("new"), bytes("value of new"));
            batch.commit();
        }
        assertThat(scanKeys(Bucket.MEMBERS, "", null)).containsExactly("new");
    }

    @Test
    void deleteRangeIsAtomicWithTheRestOfTheBatch() {
        putAll(Bucket.KEY, "a", "b");
        try (Snapshot before = backend.snapshot(); WriteBatch batch = backend.newBatch()) {
            batch.deleteRange(Bucket.KEY, new byte[0], null);
            batch.put(Bucket.KEY, bytes("c"), bytes("value of c"));
            assertThat(scanKeys(Bucket.KEY, "", null)).as("not committed yet").containsExactly("a", "b");
            batch.commit();
            assertThat(scanKeys(Bucket.KEY, "", null)).containsExactly("c");
            assertThat(before.get(Bucket.KEY, bytes("a"))).isEqualTo(bytes("value of a"));
        }
    }

    @Test
    void deleteRangeOnEmptyBucketOrEmptyRangeChangesNothing() {
        putAll(Bucket.KEY, "a", "b");
        try (WriteBatch batch = backend.newBatch()) {
            batch.deleteRange(Bucket.LEASE, new byte[0], null);
            batch.deleteRange(Bucket.KEY, bytes("b"), bytes("a"));
            batch.commit();
        }
        assertThat(scanKeys(Bucket.KEY, "", null)).containsExactly("a", "b");
    }

    // --- persistence

    @Test
    void committedDataSurvivesCloseAndReopen() {
        try (WriteBatch batch = backend.newBatch()) {
            for (Bucket bucket : Bucket.values()) {
                batch.put(bucket, bytes("k"), bytes(bucket.id()));
                batch.put(bucket, bytes("gone"), bytes("v"));
            }
            batch.commit();
        }
        try (WriteBatch batch = backend.newBatch()) {
            batch.delete(Bucket.KEY, bytes("gone"));
            batch.commit();
        }

        reopen();

        for (Bucket bucket : Bucket.values()) {
            assertThat(backend.get(bucket, bytes("k"))).as(bucket.id()).isEqualTo(bytes(bucket.id()));
        }
        assertThat(backend.get(Bucket.KEY, bytes("gone"))).isNull();
        assertThat(backend.get(Bucket.META, bytes("gone"))).isEqualTo(bytes("v"));
    }

    @Test
    void reopenedBackendKeepsAcceptingWrites() {
        put(Bucket.KEY, "first", "1");
        reopen();
        put(Bucket.KEY, "second", "2");
        reopen();

        assertThat(scanAll(backend, Bucket.KEY)).containsExactly(entry("first", "1"), entry("second", "2"));
    }

    @Test
    void uncommittedBatchIsLostOnReopen() {
        WriteBatch batch = backend.newBatch();
        batch.put(Bucket.KEY, bytes("k"), bytes("v"));
        batch.close();

        reopen();

        assertThat(backend.get(Bucket.KEY, bytes("k"))).isNull();
    }

    // --- concurrency

    /**
     * Readers race one writer whose batches set every key of a group to the batch number.
     * Snapshots must see one batch number everywhere; plain reads, done one after another,
     * must never see a number lower than one already seen (a batch fully visible to an earlier
     * read stays visible).
     */
    @Test
    void concurrentReadersSeeAllOrNoneOfEachBatch() throws Exception {
        int keyCount = 8;
        int batchCount = 300;
        int minSweepsPerReader = 50;
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add(bytes("key-" + i));
        }
        writeGroup(keys, 0);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch readersStarted = new CountDownLatch(2);
            AtomicBoolean writerDone = new AtomicBoolean();
            Callable<Integer> snapshotReader = () -> {
                readersStarted.countDown();
                int sweeps = 0;
                while (!writerDone.get() || sweeps < minSweepsPerReader) {
                    try (Snapshot snapshot = backend.snapshot()) {
                        long expected = number(snapshot.get(Bucket.KEY, keys.get(sweeps % keyCount)));
                        for (byte[] key : keys) {
                            assertThat(number(snapshot.get(Bucket.KEY, key))).isEqualTo(expected);
                        }
                        for (Bucket bucket : List.of(Bucket.KEY, Bucket.META)) {
                            snapshot.scan(bucket, new byte[0], null, (key, value) -> {
                                assertThat(number(value)).isEqualTo(expected);
                                return true;
                            });
                        }
                    }
                    sweeps++;
                }
                return sweeps;
            };
            Callable<Integer> latestReader = () -> {
                readersStarted.countDown();
                int sweeps = 0;
                while (!writerDone.get() || sweeps < minSweepsPerReader) {
                    long seen = 0;
                    // Alternate the order so that no write order inside a batch hides a tear.
                    for (int i = 0; i < keyCount; i++) {
                        byte[] key = keys.get(sweeps % 2 == 0 ? i : keyCount - 1 - i);
                        Bucket bucket = i % 2 == 0 ? Bucket.KEY : Bucket.META;
                        long current = number(backend.get(bucket, key));
                        assertThat(current).isGreaterThanOrEqualTo(seen);
                        seen = current;
                    }
                    long[] scanSeen = {seen};
                    backend.scan(Bucket.KEY, new byte[0], null, (key, value) -> {
                        assertThat(number(value)).isGreaterThanOrEqualTo(scanSeen[0]);
                        scanSeen[0] = number(value);
                        return true;
                    });
                    sweeps++;
                }
                return sweeps;
            };
            Future<Integer> snapshots = pool.submit(snapshotReader);
            Future<Integer> latest = pool.submit(latestReader);
            Future<?> writer = pool.submit(() -> {
                readersStarted.await();
                try {
                    for (int n = 1; n <= batchCount; n++) {
                        writeGroup(keys, n);
                    }
                } finally {
                    writerDone.set(true);
                }
                return null;
            });

            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONCURRENCY_DEADLINE_MS);
            writer.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
            assertThat(snapshots.get(remainingNanos(deadline), TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(minSweepsPerReader);
            assertThat(latest.get(remainingNanos(deadline), TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(minSweepsPerReader);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(CONCURRENCY_DEADLINE_MS, TimeUnit.MILLISECONDS)).isTrue();
        }
        for (byte[] key : keys) {
            assertThat(number(backend.get(Bucket.KEY, key))).isEqualTo(batchCount);
        }
    }

    // --- sizes

    @Test
    void sizesOfEmptyBackendAreConsistent() {
        assertSizesConsistent();
    }

    @Test
    void sizeIsPositiveAfterWrites() {
        byte[] value = new byte[100];
        try (WriteBatch batch = backend.newBatch()) {
            for (int i = 0; i < 1000; i++) {
                batch.put(Bucket.KEY, bytes(String.format("key-%05d", i)), value);
            }
            batch.commit();
        }

        assertThat(backend.sizeBytes()).isPositive();
        assertSizesConsistent();
    }

    @Test
    void sizesStayConsistentAfterDeletes() {
        byte[] value = new byte[100];
        for (int round = 0; round < 3; round++) {
            try (WriteBatch batch = backend.newBatch()) {
                for (int i = 0; i < 500; i++) {
                    byte[] key = bytes(String.format("key-%05d", i));
                    if (round % 2 == 0) {
                        batch.put(Bucket.KEY, key, value);
                    } else {
                        batch.delete(Bucket.KEY, key);
                    }
                }
                batch.commit();
            }
            assertSizesConsistent();
        }
        reopen();

        assertThat(backend.sizeBytes()).isPositive();
        assertSizesConsistent();
    }

    // --- closing

    @Test
    void closedBackendRejectsCalls() {
        put(Bucket.KEY, "k", "v");
        WriteBatch pending = backend.newBatch();
        pending.put(Bucket.KEY, bytes("k2"), bytes("v2"));
        Snapshot snapshot = backend.snapshot();

        Backend closed = backend;
        closed.close();
        backend = null;

        assertFailsBecauseClosed(() -> closed.get(Bucket.KEY, bytes("k")));
        assertFailsBecauseClosed(() -> {
            closed.scan(Bucket.KEY, new byte[0], null, (key, value) -> true);
            return null;
        });
        assertFailsBecauseClosed(closed::newBatch);
        assertFailsBecauseClosed(closed::snapshot);
        assertFailsBecauseClosed(closed::sizeBytes);
        assertFailsBecauseClosed(closed::sizeInUseBytes);
        assertFailsBecauseClosed(() -> {
            pending.commit();
            return null;
        });
        assertFailsBecauseClosed(() -> snapshot.get(Bucket.KEY, bytes("k")));
        pending.close();
        snapshot.close();
    }

    @Test
    void closedSnapshotRejectsReads() {
        put(Bucket.KEY, "k", "v");
        Snapshot snapshot = backend.snapshot();
        snapshot.close();

        assertFailsBecauseClosed(() -> snapshot.get(Bucket.KEY, bytes("k")));
        assertFailsBecauseClosed(() -> {
            snapshot.scan(Bucket.KEY, new byte[0], null, (key, value) -> true);
            return null;
        });
        assertThat(backend.get(Bucket.KEY, bytes("k"))).isEqualTo(bytes("v"));
    }

    @Test
    void closedBatchRejectsWrites() {
        WriteBatch batch = backend.newBatch();
        batch.close();

        assertFailsBecauseClosed(() -> {
            batch.put(Bucket.KEY, bytes("k"), bytes("v"));
            return null;
        });
        assertFailsBecauseClosed(() -> {
            batch.commit();
            return null;
        });
        assertThat(backend.get(Bucket.KEY, bytes("k"))).isNull();
    }

    // --- helpers

    /** Closes the backend and opens the same directory again. */
    protected final void reopen() {
        backend.close();
        backend = null;
        backend = provider().open(directory);
    }

    /** The backend under test (open). */
    protected final Backend backend() {
        return backend;
    }

    /** The directory the backend under test was opened in. */
    protected final Path directory() {
        return directory;
    }

    private void assertSizesConsistent() {
        long size = backend.sizeBytes();
        long inUse = backend.sizeInUseBytes();
        assertThat(size).isNotNegative();
        assertThat(inUse).isBetween(0L, size);
    }

    private static void assertFailsBecauseClosed(Callable<?> call) {
        Throwable thrown = catchThrowable(call::call);
        assertThat(thrown)
                .as("a call on a closed backend, snapshot or batch must throw")
                .isInstanceOfAny(IllegalStateException.class, StorageException.class);
    }

    private void writeGroup(List<byte[]> keys, long number) {
        byte[] value = ByteBuffer.allocate(Long.BYTES).putLong(number).array();
        try (WriteBatch batch = backend.newBatch()) {
            for (byte[] key : keys) {
                batch.put(Bucket.KEY, key, value);
                batch.put(Bucket.META, key, value);
            }
            batch.commit();
        }
    }

    private static long number(byte[] value) {
        assertThat(value).hasSize(Long.BYTES);
        return ByteBuffer.wrap(value).getLong();
    }

    private static long remainingNanos(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private void put(Bucket bucket, String key, String value) {
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(bucket, bytes(key), bytes(value));
            batch.commit();
        }
    }

    private void putAll(Bucket bucket, String... keys) {
        try (WriteBatch batch = backend.newBatch()) {
            for (String key : keys) {
                batch.put(bucket, bytes(key), bytes("value of " + key));
            }
            batch.commit();
        }
    }

    private List<String> scanKeys(Bucket bucket, String from, String to) {
        List<String> keys = new ArrayList<>();
        backend.scan(bucket, bytes(from), to == null ? null : bytes(to), (key, value) -> {
            assertThat(value).isEqualTo(bytes("value of " + string(key)));
            return keys.add(string(key));
        });
        return keys;
    }

    private static List<String> scanAll(ReadView view, Bucket bucket) {
        List<String> entries = new ArrayList<>();
        view.scan(bucket, new byte[0], null, (key, value) -> entries.add(entry(string(key), string(value))));
        return entries;
    }

    private static String entry(String key, String value) {
        return key + "=" + value;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String string(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
