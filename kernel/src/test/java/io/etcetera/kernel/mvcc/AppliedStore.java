package io.etcetera.kernel.mvcc;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.CompactionResponse;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test harness: an {@link MvccStore} on an {@link InMemoryBackend}, applying requests as the
 * apply thread would, with consecutive log indexes; plus short request builders.
 */
final class AppliedStore {

    final InMemoryBackend backend;
    final LeaseLookup leases;
    MvccStore store;
    long appliedIndex;

    AppliedStore() {
        this(new InMemoryBackend(), LeaseLookup.NONE);
    }

    AppliedStore(InMemoryBackend backend, LeaseLookup leases) {
        this.backend = backend;
        this.leases = leases;
        this.store = new MvccStore(backend, leases);
        this.appliedIndex = store.consistentIndex();
    }

    /** Closes the store and opens a new one on the same backend, as a restarted member does. */
    AppliedStore reopen() {
        store.close();
        return new AppliedStore(backend, leases);
    }

    PutResponse put(String key, String value) {
        return put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
    }

    PutResponse put(PutRequest request) {
        return store.put(request, ++appliedIndex);
    }

    DeleteRangeResponse delete(String key) {
        return delete(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build());
    }

    DeleteRangeResponse delete(DeleteRangeRequest request) {
        return store.deleteRange(request, ++appliedIndex);
    }

    TxnResponse txn(TxnRequest request) {
        return store.txn(request, ++appliedIndex);
    }

    CompactionResponse compact(long revision) {
        return store.compact(CompactionRequest.newBuilder().setRevision(revision).build(), ++appliedIndex);
    }

    RangeResponse get(String key) {
        return store.range(RangeRequest.newBuilder().setKey(bytes(key)).build());
    }

    RangeResponse get(String key, long revision) {
        return store.range(RangeRequest.newBuilder().setKey(bytes(key)).setRevision(revision).build());
    }

    /** Every key, at the current revision. */
    RangeResponse all() {
        return store.range(all(RangeRequest.newBuilder()).build());
    }

    /** The single live key-value of {@code key}, or null. */
    KeyValue kv(String key) {
        List<KeyValue> kvs = get(key).getKvsList();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    static RangeRequest.Builder all(RangeRequest.Builder builder) {
        return builder.setKey(bytes("\0")).setRangeEnd(bytes("\0"));
    }

    static ByteString bytes(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }

    static String text(ByteString bytes) {
        return bytes.toStringUtf8();
    }

    static List<String> keys(RangeResponse response) {
        return response.getKvsList().stream().map(kv -> text(kv.getKey())).toList();
    }

    static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> text(kv.getKey())).toList();
    }

    static RequestOp putOp(String key, String value) {
        return RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value))).build();
    }

    static RequestOp getOp(String key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key))).build();
    }

    static RequestOp getOp(RangeRequest.Builder range) {
        return RequestOp.newBuilder().setRequestRange(range).build();
    }

    static RequestOp deleteOp(String key) {
        return RequestOp.newBuilder()
                .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key))).build();
    }

    static RequestOp txnOp(TxnRequest txn) {
        return RequestOp.newBuilder().setRequestTxn(txn).build();
    }

    static Compare.Builder compare(String key, Compare.CompareTarget target, Compare.CompareResult result) {
        return Compare.newBuilder().setKey(bytes(key)).setTarget(target).setResult(result);
    }

    static Compare valueIs(String key, String value) {
        return compare(key, Compare.CompareTarget.VALUE, Compare.CompareResult.EQUAL).setValue(bytes(value)).build();
    }
}
