package io.etcetera.storage.rocksdb;

import io.etcetera.spi.storage.Bucket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/**
 * The column families of an open database: one per {@link Bucket}, named by {@link Bucket#id()},
 * plus RocksDB's {@code default} family (unused) and any family a newer version of etcetera may
 * have created (opened, as RocksDB requires, and left alone).
 *
 * <p>Immutable after construction; thread-safe. The handles are native: {@link #close()} them
 * before the database.
 */
final class ColumnFamilies implements AutoCloseable {

    private final Map<Bucket, ColumnFamilyHandle> byBucket;
    private final List<ColumnFamilyHandle> all;

    private ColumnFamilies(Map<Bucket, ColumnFamilyHandle> byBucket, List<ColumnFamilyHandle> all) {
        this.byBucket = byBucket;
        this.all = all;
    }

    /**
     * The names to open: {@code default}, every bucket, then the other {@code existing} ones.
     *
     * @param existing the families already in the database (empty for a new one)
     */
    static List<byte[]> namesToOpen(List<byte[]> existing) {
        Set<String> names = new LinkedHashSet<>();
        names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        for (Bucket bucket : Bucket.values()) {
            names.add(bucket.id());
        }
        for (byte[] name : existing) {
            names.add(new String(name, StandardCharsets.UTF_8));
        }
        List<byte[]> result = new ArrayList<>(names.size());
        for (String name : names) {
            result.add(name.getBytes(StandardCharsets.UTF_8));
        }
        return result;
    }

    /** Maps the handles RocksDB returned for {@code descriptors} (same order) to buckets. */
    static ColumnFamilies of(List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles) {
        Map<Bucket, ColumnFamilyHandle> byBucket = new EnumMap<>(Bucket.class);
        for (int i = 0; i < descriptors.size(); i++) {
            String name = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
            for (Bucket bucket : Bucket.values()) {
                if (bucket.id().equals(name)) {
                    byBucket.put(bucket, handles.get(i));
                }
            }
        }
        if (byBucket.size() != Bucket.values().length) {
            throw new IllegalStateException("RocksDB did not open a column family for every bucket: " + byBucket.keySet());
        }
        return new ColumnFamilies(byBucket, List.copyOf(handles));
    }

    /** The handle of {@code bucket}'s column family. */
    ColumnFamilyHandle handle(Bucket bucket) {
        return byBucket.get(Objects.requireNonNull(bucket, "bucket"));
    }

    /** Releases every handle; call before closing the database. */
    @Override
    public void close() {
        for (ColumnFamilyHandle handle : all) {
            handle.close();
        }
    }
}
