package io.etcetera.kernel.mvcc;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortOrder;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortTarget;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs Range, Put and DeleteRange requests in a {@link StoreTxn}, as etcd's
 * {@code applierV3backend} does ({@code etcdserver/apply.go}): it turns request options into
 * MVCC reads and writes and builds the responses, whose header carries only {@code revision}.
 *
 * <p>Stateless and thread-safe; the txn passed in is confined to the caller's thread.
 */
final class KvApplier {

    private KvApplier() {
    }

    /**
     * Range, in etcd's order: read (with one extra key for {@code more} when neither sorting nor a
     * revision filter is asked, otherwise all keys), drop key-values outside the
     * {@code max/min_mod_revision} and {@code max/min_create_revision} filters, sort, then cut to
     * {@code limit}. {@code count} is the number of keys in the range at the revision read,
     * before filters and limit. The header revision is the revision of the view read, also for
     * a historical read.
     *
     * @throws io.etcetera.spi.error.EtcdException FUTURE_REV or COMPACTED for a bad {@code revision}
     */
    static RangeResponse range(StoreTxn txn, RangeRequest request) {
        boolean readAll = request.getSortOrderValue() != SortOrder.NONE_VALUE
                || request.getMinModRevision() != 0 || request.getMaxModRevision() != 0
                || request.getMinCreateRevision() != 0 || request.getMaxCreateRevision() != 0;
        long readLimit = readAll ? 0 : request.getLimit();
        if (readLimit > 0) {
            readLimit++;
        }
        RangeResult result = txn.range(KeyRange.of(request.getKey(), request.getRangeEnd()),
                readLimit, request.getRevision(), request.getCountOnly());

        List<KeyValue> kvs = new ArrayList<>(result.kvs());
        dropIf(kvs, request.getMaxModRevision() != 0, kv -> kv.getModRevision() > request.getMaxModRevision());
        dropIf(kvs, request.getMinModRevision() != 0, kv -> kv.getModRevision() < request.getMinModRevision());
        dropIf(kvs, request.getMaxCreateRevision() != 0, kv -> kv.getCreateRevision() > request.getMaxCreateRevision());
        dropIf(kvs, request.getMinCreateRevision() != 0, kv -> kv.getCreateRevision() < request.getMinCreateRevision());
        sort(kvs, request);

        boolean more = false;
        if (request.getLimit() > 0 && kvs.size() > request.getLimit()) {
            kvs = kvs.subList(0, (int) request.getLimit());
            more = true;
        }
        RangeResponse.Builder response = RangeResponse.newBuilder()
                .setHeader(header(result.revision()))
                .setCount(result.count())
                .setMore(more);
        for (KeyValue kv : kvs) {
            response.addKvs(request.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return response.build();
    }

    /**
     * Put. With {@code ignore_value} or {@code ignore_lease} the key must be live and keeps its
     * value or lease; with {@code prev_kv} the response carries the key-value it replaced. The
     * header revision is the revision of the put. The caller checks that the lease exists.
     *
     * @throws io.etcetera.spi.error.EtcdException KEY_NOT_FOUND when an ignore flag is set and
     *     the key is not live; nothing is written then
     */
    static PutResponse put(StoreTxn txn, PutRequest request) {
        ByteString value = request.getValue();
        long lease = request.getLease();
        boolean ignoring = request.getIgnoreValue() || request.getIgnoreLease();
        KeyValue previous = ignoring || request.getPrevKv() ? txn.get(request.getKey().toByteArray()) : null;
        if (ignoring && previous == null) {
            throw EtcdError.KEY_NOT_FOUND.exception();
        }
        if (request.getIgnoreValue()) {
            value = previous.getValue();
        }
        if (request.getIgnoreLease()) {
            lease = previous.getLease();
        }
        PutResponse.Builder response = PutResponse.newBuilder();
        if (request.getPrevKv() && previous != null) {
            response.setPrevKv(previous);
        }
        long revision = txn.put(request.getKey().toByteArray(), value, lease);
        return response.setHeader(header(revision)).build();
    }

    /**
     * DeleteRange. {@code deleted} counts the live keys removed; with {@code prev_kv} the
     * response carries them. The header revision is the txn's new revision when this or an
     * earlier operation of the txn changed a key, otherwise the current revision.
     */
    static DeleteRangeResponse deleteRange(StoreTxn txn, DeleteRangeRequest request) {
        KeyRange range = KeyRange.of(request.getKey(), request.getRangeEnd());
        DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder();
        if (request.getPrevKv()) {
            response.addAllPrevKvs(txn.range(range, 0, 0, false).kvs());
        }
        long deleted = txn.deleteRange(range);
        return response.setDeleted(deleted).setHeader(header(txn.readRevision())).build();
    }

    /** A response header with only {@code revision} set; the server stamps the other fields. */
    static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    /**
     * Sorts as etcd: a sort order of NONE with a target other than KEY sorts ascending (the MVCC
     * read already returns key order). The sort is stable, so key-values that tie keep key order.
     */
    private static void sort(List<KeyValue> kvs, RangeRequest request) {
        SortOrder order = request.getSortOrder();
        if (request.getSortTarget() != SortTarget.KEY && order == SortOrder.NONE) {
            order = SortOrder.ASCEND;
        }
        if (order != SortOrder.ASCEND && order != SortOrder.DESCEND) {
            return;
        }
        Comparator<KeyValue> ascending = KvOrder.ascending(request.getSortTarget());
        if (ascending == null) {
            return;
        }
        kvs.sort(order == SortOrder.ASCEND ? ascending : ascending.reversed());
    }

    private static void dropIf(List<KeyValue> kvs, boolean enabled, Predicate<KeyValue> outside) {
        if (enabled) {
            kvs.removeIf(outside);
        }
    }
}
