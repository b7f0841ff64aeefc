package io.etcetera.kernel.server;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * etcd's duplicate-key rule for a txn branch ({@code checkIntervals} in
 * {@code etcdserver/api/v3rpc/key.go}): within one branch a key may be put at most once and not
 * put if the branch also deletes it. Nested txns count as part of the branch that holds them,
 * except that a nested txn's success and failure branches may put the same key, since only one of
 * them runs.
 *
 * <p>A delete covers {@code [key, range_end)} by unsigned byte order, or just {@code key} without
 * {@code range_end}. As in etcd, {@code range_end = "\0"} ("from key on") yields an empty interval
 * here and so conflicts with no put.
 *
 * <p>Stateless; thread-safe.
 */
final class TxnIntervals {

    private TxnIntervals() {
    }

    /**
     * Checks one branch.
     *
     * @throws EtcdException {@link EtcdError#DUPLICATE_KEY} when two puts or a put and a delete overlap
     */
    static void check(List<RequestOp> branch) {
        collect(branch);
    }

    /** The keys put and the ranges deleted by a branch, nested txns included. */
    private record Writes(Set<ByteString> puts, List<KeyInterval> deletes) {
        boolean deletes(ByteString key) {
            for (KeyInterval interval : deletes) {
                if (interval.contains(key)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The half-open key range {@code [begin, end)}, compared as unsigned bytes. */
    private record KeyInterval(ByteString begin, ByteString end) {
        static KeyInterval of(DeleteRangeRequest delete) {
            if (delete.getRangeEnd().isEmpty()) {
                // A point: the smallest key after {@code key} is {@code key + "\0"}.
                return new KeyInterval(delete.getKey(), delete.getKey().concat(ByteString.copyFrom(new byte[] {0})));
            }
            return new KeyInterval(delete.getKey(), delete.getRangeEnd());
        }

        boolean contains(ByteString key) {
            return ByteString.unsignedLexicographicalComparator().compare(begin, key) <= 0
                    && ByteString.unsignedLexicographicalComparator().compare(key, end) < 0;
        }
    }

    private static Writes collect(List<RequestOp> ops) {
        List<KeyInterval> deletes = new ArrayList<>();
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                deletes.add(KeyInterval.of(op.getRequestDeleteRange()));
            }
        }
        Writes writes = new Writes(new HashSet<>(), deletes);
        for (RequestOp op : ops) {
            if (op.hasRequestTxn()) {
                addNested(writes, op.getRequestTxn());
            }
        }
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                addPut(writes, op.getRequestPut().getKey());
            }
        }
        return writes;
    }

    private static void addNested(Writes writes, TxnRequest nested) {
        Writes success = collect(nested.getSuccessList());
        Writes failure = collect(nested.getFailureList());
        for (ByteString key : success.puts()) {
            addPut(writes, key);
        }
        for (ByteString key : failure.puts()) {
            // The same key in both branches of the nested txn is fine: only one branch runs.
            boolean fromOtherBranch = success.puts().contains(key);
            if ((writes.puts().contains(key) && !fromOtherBranch) || writes.deletes(key)) {
                throw EtcdError.DUPLICATE_KEY.exception();
            }
            writes.puts().add(key);
        }
        writes.deletes().addAll(success.deletes());
        writes.deletes().addAll(failure.deletes());
    }

    private static void addPut(Writes writes, ByteString key) {
        if (writes.puts().contains(key) || writes.deletes(key)) {
            throw EtcdError.DUPLICATE_KEY.exception();
        }
        writes.puts().add(key);
    }
}
