package io.etcetera.kernel.mvcc;

import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The MVCC store's entries in the backend's {@link Bucket#META} bucket, named and encoded as in
 * etcd 3.4 ({@code mvcc/kvstore.go}):
 * <ul>
 *   <li>{@code consistent_index}: the last applied log index, 8-byte big-endian;</li>
 *   <li>{@code scheduledCompactRev} and {@code finishedCompactRev}: the compact revision,
 *       encoded as the 17-byte revision key {@code (rev, 0)}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class StoreMeta {

    static final byte[] CONSISTENT_INDEX_KEY = "consistent_index".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SCHEDULED_COMPACT_KEY = "scheduledCompactRev".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FINISHED_COMPACT_KEY = "finishedCompactRev".getBytes(StandardCharsets.US_ASCII);

    /** The compact revision of a store never compacted, as etcd's {@code compactMainRev}. */
    static final long NO_COMPACTION = -1;

    private StoreMeta() {
    }

    /** The stored consistent index, 0 when none is stored. */
    static long readConsistentIndex(ReadView view) {
        byte[] bytes = view.get(Bucket.META, CONSISTENT_INDEX_KEY);
        if (bytes == null) {
            return 0;
        }
        if (bytes.length != Long.BYTES) {
            throw new StorageException("meta consistent_index has " + bytes.length + " bytes, expected 8", null);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    static void writeConsistentIndex(WriteBatch batch, long consistentIndex) {
        batch.put(Bucket.META, CONSISTENT_INDEX_KEY, ByteBuffer.allocate(Long.BYTES).putLong(consistentIndex).array());
    }

    /** The revision of the last finished compaction, {@link #NO_COMPACTION} when none. */
    static long readFinishedCompaction(ReadView view) {
        return readRevision(view, FINISHED_COMPACT_KEY);
    }

    /** The revision of the last scheduled compaction, {@link #NO_COMPACTION} when none. */
    static long readScheduledCompaction(ReadView view) {
        return readRevision(view, SCHEDULED_COMPACT_KEY);
    }

    /** Records a compaction at {@code revision} as scheduled and finished (it runs in one batch). */
    static void writeCompaction(WriteBatch batch, long revision) {
        byte[] encoded = Revision.ofMain(revision).toKey();
        batch.put(Bucket.META, SCHEDULED_COMPACT_KEY, encoded);
        batch.put(Bucket.META, FINISHED_COMPACT_KEY, encoded);
    }

    private static long readRevision(ReadView view, byte[] key) {
        byte[] bytes = view.get(Bucket.META, key);
        if (bytes == null) {
            return NO_COMPACTION;
        }
        if (bytes.length != Revision.KEY_BYTES) {
            throw new StorageException("meta " + new String(key, StandardCharsets.US_ASCII) + " has "
                    + bytes.length + " bytes, expected " + Revision.KEY_BYTES, null);
        }
        return Revision.fromKey(bytes).main();
    }
}
