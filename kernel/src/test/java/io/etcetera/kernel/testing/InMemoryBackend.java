package io.etcetera.kernel.testing;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView;
import io.etcetera.spi.storage.Snapshot;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A {@link Backend} in memory for kernel unit tests: one {@link TreeMap} per bucket ordered by
 * unsigned bytes, snapshots as deep copies, batches applied atomically under one lock. Reopening
 * after a "crash" is modelled by opening a new kernel component on the same instance: whatever
 * was committed is there, uncommitted batches are not.
 *
 * <p>{@link #failNextCommit()} makes the next commit fail with a {@link StorageException}
 * without applying anything, to test that callers leave their state unchanged.
 *
 * <p>Thread-safe: every operation holds the instance's monitor; arrays are copied in and out.
 */
public final class InMemoryBackend implements Backend {

    private final Map<Bucket, NavigableMap<byte[], byte[]>> buckets;
    private boolean closed;
    private boolean failNextCommit;
    private long commits;

    /** An empty backend. */
    public InMemoryBackend() {
        this.buckets = emptyBuckets();
    }

    private static Map<Bucket, NavigableMap<byte[], byte[]>> emptyBuckets() {
        Map<Bucket, NavigableMap<byte[], byte[]>> empty = new EnumMap<>(Bucket.class);
        for (Bucket bucket : Bucket.values()) {
            empty.put(bucket, new TreeMap<>(Arrays::compareUnsigned));
        }
        return empty;
    }

    /** Makes the next {@link WriteBatch#commit()} fail without applying any of its writes. */
    public synchronized void failNextCommit() {
        failNextCommit = true;
    }

    /** How many batches were committed so far. */
    public synchronized long commits() {
        return commits;
    }

    /** Number of entries in {@code bucket}. */
    public synchronized int size(Bucket bucket) {
        checkOpen();
        return buckets.get(bucket).size();
    }

    /** A copy of the keys of {@code bucket}, in order. */
    public synchronized List<byte[]> keys(Bucket bucket) {
        checkOpen();
        List<byte[]> keys = new ArrayList<>();
        buckets.get(bucket).keySet().forEach(key -> keys.add(key.clone()));
        return keys;
    }

    @Override
    public synchronized byte[] get(Bucket bucket, byte[] key) {
        checkOpen();
        return copyOrNull(buckets.get(bucket).get(key));
    }

    @Override
    public void scan(Bucket bucket, byte[] from, byte[] to, ScanVisitor visitor) {
        // copy first, so a visitor may call back into the backend
        List<byte[][]> entries;
        synchronized (this) {
            checkOpen();
            entries = copyRange(buckets.get(bucket), from, to);
        }
        visitAll(entries, visitor);
    }

    @Override
    public WriteBatch newBatch() {
        synchronized (this) {
            checkOpen();
        }
        return new Batch();
    }

    @Override
    public synchronized Snapshot snapshot() {
        checkOpen();
        Map<Bucket, NavigableMap<byte[], byte[]>> copy = emptyBuckets();
        buckets.forEach((bucket, entries) -> entries.forEach((key, value) -> copy.get(bucket).put(key, value)));
        return new FrozenView(copy);
    }

    @Override
    public synchronized long sizeBytes() {
        checkOpen();
        long bytes = 0;
        for (NavigableMap<byte[], byte[]> entries : buckets.values()) {
            for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                bytes += entry.getKey().length + entry.getValue().length;
            }
        }
        return bytes;
    }

    @Override
    public long sizeInUseBytes() {
        return sizeBytes();
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private synchronized void apply(List<Write> writes) {
        checkOpen();
        if (failNextCommit) {
            failNextCommit = false;
            throw new StorageException("injected commit failure", null);
        }
        for (Write write : writes) {
            NavigableMap<byte[], byte[]> entries = buckets.get(write.bucket());
            if (write.range()) {
                (write.end() == null ? entries.tailMap(write.key(), true)
                        : Arrays.compareUnsigned(write.key(), write.end()) >= 0 ? new TreeMap<byte[], byte[]>()
                        : entries.subMap(write.key(), true, write.end(), false)).clear();
            } else if (write.value() == null) {
                entries.remove(write.key());
            } else {
                entries.put(write.key(), write.value());
            }
        }
        commits++;
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("backend is closed", null);
        }
    }

    private static List<byte[][]> copyRange(NavigableMap<byte[], byte[]> entries, byte[] from, byte[] to) {
        NavigableMap<byte[], byte[]> range;
        if (to == null) {
            range = entries.tailMap(from, true);
        } else if (Arrays.compareUnsigned(from, to) >= 0) {
            range = new TreeMap<>();
        } else {
            range = entries.subMap(from, true, to, false);
        }
        List<byte[][]> copy = new ArrayList<>(range.size());
        range.forEach((key, value) -> copy.add(new byte[][] {key.clone(), value.clone()}));
        return copy;
    }

    private static void visitAll(List<byte[][]> entries, ScanVisitor visitor) {
        for (byte[][] entry : entries) {
            if (!visitor.visit(entry[0], entry[1])) {
                return;
            }
        }
    }

    private static byte[] copyOrNull(byte[] value) {
        return value == null ? null : value.clone();
    }

    /** One write of a batch; a null value deletes; a range deletes {@code [key, end)} (null end: no bound). */
    private record Write(Bucket bucket, byte[] key, byte[] value, byte[] end, boolean range) {
    }

    private final class Batch implements WriteBatch {
        private final List<Write> writes = new ArrayList<>();
        private boolean done;

        @Override
        public void put(Bucket bucket, byte[] key, byte[] value) {
            checkUsable();
            writes.add(new Write(bucket, key.clone(), value.clone(), null, false));
        }

        @Override
        public void delete(Bucket bucket, byte[] key) {
            checkUsable();
            writes.add(new Write(bucket, key.clone(), null, null, false));
        }

        @Override
        public void deleteRange(Bucket bucket, byte[] from, byte[] to) {
            checkUsable();
            writes.add(new Write(bucket, from.clone(), null, to == null ? null : to.clone(), true));
        }

        @Override
        public void commit() {
            checkUsable();
            done = true;
            apply(writes);
        }

        @Override
        public void close() {
            done = true;
        }

        private void checkUsable() {
            if (done) {
                throw new IllegalStateException("batch already committed or closed");
            }
        }
    }

    /** A snapshot: a private copy of every bucket. */
    private static final class FrozenView implements Snapshot, ReadView {
        private final Map<Bucket, NavigableMap<byte[], byte[]>> buckets;
        private volatile boolean closed;

        FrozenView(Map<Bucket, NavigableMap<byte[], byte[]>> buckets) {
            this.buckets = buckets;
        }

        @Override
        public byte[] get(Bucket bucket, byte[] key) {
            checkOpen();
            return copyOrNull(buckets.get(bucket).get(key));
        }

        @Override
        public void scan(Bucket bucket, byte[] from, byte[] to, ScanVisitor visitor) {
            checkOpen();
            visitAll(copyRange(buckets.get(bucket), from, to), visitor);
        }

        @Override
        public void close() {
            closed = true;
        }

        private void checkOpen() {
            if (closed) {
                throw new StorageException("snapshot is closed", null);
            }
        }
    }
}
