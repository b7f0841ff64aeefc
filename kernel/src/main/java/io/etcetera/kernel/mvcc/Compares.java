package io.etcetera.kernel.mvcc;

import com.google.protobuf.ByteString;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.mvccpb.KeyValue;
import java.util.List;

/**
 * Evaluates the guards of a txn (etcd {@code etcdserver/apply.go}: applyCompare, compareKV).
 *
 * <ul>
 *   <li>With a {@code range_end}, every live key of the range must satisfy the compare.</li>
 *   <li>When no key is live: a VALUE compare fails; other targets compare against a zero
 *       key-value (version, create_revision, mod_revision and lease all 0), so
 *       {@code version = 0} or {@code create_revision = 0} tests that a key is absent.</li>
 *   <li>The operand is the {@code target_union} field that matches the target; any other
 *       field counts as 0 (or the empty value).</li>
 * </ul>
 * Thread-safe (stateless).
 */
final class Compares {

    private Compares() {
    }

    /** Whether every compare of {@code compares} holds in {@code txn}. */
    static boolean allHold(StoreTxn txn, List<Compare> compares) {
        for (Compare compare : compares) {
            if (!holds(txn, compare)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code compare} holds in {@code txn}. */
    static boolean holds(StoreTxn txn, Compare compare) {
        List<KeyValue> kvs = txn.range(KeyRange.of(compare.getKey(), compare.getRangeEnd()), 0, 0, false).kvs();
        if (kvs.isEmpty()) {
            return compare.getTarget() != Compare.CompareTarget.VALUE
                    && holdsFor(compare, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!holdsFor(compare, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holdsFor(Compare compare, KeyValue kv) {
        int result = switch (compare.getTarget()) {
            case VALUE -> KvOrder.compareBytes(kv.getValue(), operandValue(compare));
            case CREATE -> Long.compare(kv.getCreateRevision(), compare.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), compare.getModRevision());
            case VERSION -> Long.compare(kv.getVersion(), compare.getVersion());
            case LEASE -> Long.compare(kv.getLease(), compare.getLease());
            case UNRECOGNIZED -> 0;
        };
        return switch (compare.getResult()) {
            case EQUAL -> result == 0;
            case NOT_EQUAL -> result != 0;
            case GREATER -> result > 0;
            case LESS -> result < 0;
            // etcd lets a compare with an unknown result pass
            case UNRECOGNIZED -> true;
        };
    }

    private static ByteString operandValue(Compare compare) {
        return compare.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? compare.getValue() : ByteString.EMPTY;
    }
}
