package io.etcetera.kernel.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One MVCC transaction over the key index and the backend: etcd's {@code storeTxnRead} and
 * {@code storeTxnWrite} ({@code mvcc/kvstore_txn.go}).
 *
 * <p>A read txn sees the store at {@code beginRevision}, the current revision when it began. A
 * write txn additionally puts and deletes keys; all its changes share main revision
 * {@code beginRevision + 1}, with sub revisions 0, 1, 2... in order, and reads inside it see
 * its own earlier changes (they read at {@code beginRevision + 1} once there is a change). Changes
 * go to the key index at once and to the backend through {@code batch}; values written by this
 * txn are read from memory because the batch is not committed yet.
 *
 * <p>Not thread-safe; the store holds its read lock (read txn) or write lock (write txn) for the
 * txn's whole life.
 */
final class StoreTxn {

    private final TreeIndex index;
    private final ReadView backend;
    private final long beginRevision;
    private final long compactRevision;
    private final WriteBatch batch;
    private final Map<Revision, KeyValue> written = new HashMap<>();
    private final List<KeyValue> changes = new ArrayList<>();

    private StoreTxn(TreeIndex index, ReadView backend, long beginRevision, long compactRevision, WriteBatch batch) {
        this.index = index;
        this.backend = backend;
        this.beginRevision = beginRevision;
        this.compactRevision = compactRevision;
        this.batch = batch;
    }

    /** A read-only txn at {@code currentRevision}. */
    static StoreTxn read(TreeIndex index, ReadView backend, long currentRevision, long compactRevision) {
        return new StoreTxn(index, backend, currentRevision, compactRevision, null);
    }

    /** A write txn whose changes will take revision {@code currentRevision + 1} and go to {@code batch}. */
    static StoreTxn write(TreeIndex index, ReadView backend, long currentRevision, long compactRevision, WriteBatch batch) {
        return new StoreTxn(index, backend, currentRevision, compactRevision, batch);
    }

    /** The store's current revision when the txn began. */
    long beginRevision() {
        return beginRevision;
    }

    /** The store's compact revision ({@link StoreMeta#NO_COMPACTION} when none). */
    long compactRevision() {
        return compactRevision;
    }

    /** The revision reads see now: {@code beginRevision}, plus one once this txn changed a key. */
    long readRevision() {
        return changes.isEmpty() ? beginRevision : beginRevision + 1;
    }

    boolean hasChanges() {
        return !changes.isEmpty();
    }

    /** The key-values this txn wrote, in order; a deletion is a key-value with only the key set. */
    List<KeyValue> changes() {
        return Collections.unmodifiableList(changes);
    }

    /**
     * Reads the keys of {@code range} (etcd {@code rangeKeys}).
     *
     * @param limit at most this many key-values are read; 0 or less means no limit
     * @param atRevision the revision to read at; 0 or less means {@link #readRevision()}
     * @param countOnly count the keys without reading any value
     * @throws io.etcetera.spi.error.EtcdException FUTURE_REV when {@code atRevision} is after
     *     {@link #readRevision()}, COMPACTED when it is before the compact revision
     */
    RangeResult range(KeyRange range, long limit, long atRevision, boolean countOnly) {
        long current = readRevision();
        if (atRevision > current) {
            throw EtcdError.FUTURE_REV.exception();
        }
        long revision = atRevision <= 0 ? current : atRevision;
        if (revision < compactRevision) {
            throw EtcdError.COMPACTED.exception();
        }
        List<TreeIndex.Entry> entries = index.range(range, revision);
        if (countOnly || entries.isEmpty()) {
            return new RangeResult(List.of(), entries.size(), current);
        }
        int read = limit <= 0 || limit > entries.size() ? entries.size() : (int) limit;
        List<KeyValue> kvs = new ArrayList<>(read);
        for (TreeIndex.Entry entry : entries.subList(0, read)) {
            kvs.add(value(entry.revision()));
        }
        return new RangeResult(kvs, entries.size(), current);
    }

    /** The live key-value of {@code key} as this txn sees it now, or {@code null}. */
    KeyValue get(byte[] key) {
        List<KeyValue> kvs = range(KeyRange.single(key), 0, 0, false).kvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    /**
     * Puts {@code key}: a new version in the key's current generation, or the first version of a
     * new generation when the key is not live.
     *
     * @return the revision of the put, {@code beginRevision + 1}
     */
    long put(byte[] key, ByteString value, long lease) {
        Revision revision = nextRevision();
        KeyIndex.Found previous = index.get(key, revision.main());
        long createRevision = previous == null ? revision.main() : previous.created().main();
        long version = previous == null ? 1 : previous.version() + 1;
        KeyValue kv = KeyValue.newBuilder()
                .setKey(ByteString.copyFrom(key))
                .setValue(value)
                .setCreateRevision(createRevision)
                .setModRevision(revision.main())
                .setVersion(version)
                .setLease(lease)
                .build();
        batch.put(Bucket.KEY, revision.toKey(), kv.toByteArray());
        index.put(key, revision);
        written.put(revision, kv);
        changes.add(kv);
        return revision.main();
    }

    /**
     * Deletes the live keys of {@code range}, writing a tombstone for each.
     *
     * @return how many keys were deleted
     */
    long deleteRange(KeyRange range) {
        List<TreeIndex.Entry> live = index.range(range, readRevision());
        for (TreeIndex.Entry entry : live) {
            Revision revision = nextRevision();
            KeyValue tombstone = KeyValue.newBuilder().setKey(ByteString.copyFrom(entry.key())).build();
            batch.put(Bucket.KEY, revision.toTombstoneKey(), tombstone.toByteArray());
            index.tombstone(entry.key(), revision);
            changes.add(tombstone);
        }
        return live.size();
    }

    private Revision nextRevision() {
        if (batch == null) {
            throw new IllegalStateException("write in a read-only txn");
        }
        return new Revision(beginRevision + 1, changes.size());
    }

    private KeyValue value(Revision revision) {
        KeyValue own = written.get(revision);
        if (own != null) {
            return own;
        }
        byte[] bytes = backend.get(Bucket.KEY, revision.toKey());
        if (bytes == null) {
            throw new StorageException("key index names revision " + revision + " missing from the backend", null);
        }
        return parse(bytes);
    }

    /** Decodes a stored {@code mvccpb.KeyValue}. */
    static KeyValue parse(byte[] bytes) {
        try {
            return KeyValue.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StorageException("corrupt key-value in the key bucket", e);
        }
    }
}
