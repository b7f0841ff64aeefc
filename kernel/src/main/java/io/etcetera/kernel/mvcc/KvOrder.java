package io.etcetera.kernel.mvcc;

import com.google.protobuf.ByteString;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortTarget;
import io.etcetera.spi.mvccpb.KeyValue;
import java.util.Comparator;

/**
 * The orders a range can sort its key-values by (etcd {@code etcdserver/apply.go}: kvSortByKey,
 * kvSortByVersion, kvSortByCreate, kvSortByMod, kvSortByValue). Keys and values compare as
 * unsigned bytes, revisions and versions as numbers. Thread-safe (stateless).
 */
final class KvOrder {

    private static final Comparator<ByteString> UNSIGNED_BYTES = ByteString.unsignedLexicographicalComparator();

    private KvOrder() {
    }

    /**
     * The ascending order of {@code target}, or {@code null} for a target this version does not
     * know (front ends reject those before they reach the store).
     */
    static Comparator<KeyValue> ascending(SortTarget target) {
        return switch (target) {
            case KEY -> Comparator.comparing(KeyValue::getKey, UNSIGNED_BYTES);
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, UNSIGNED_BYTES);
            case UNRECOGNIZED -> null;
        };
    }

    /** Compares two values as etcd's {@code bytes.Compare}. */
    static int compareBytes(ByteString left, ByteString right) {
        return UNSIGNED_BYTES.compare(left, right);
    }
}
