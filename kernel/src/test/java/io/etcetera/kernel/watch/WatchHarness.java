package io.etcetera.kernel.watch;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.WatchCancelRequest;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchProgressRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;

/**
 * Test harness: a {@link WatchServer} over an {@link MvccStore} on an in-memory backend, with
 * writes applied as the apply thread would (consecutive log indexes, on the calling thread).
 * Headers carry cluster 0xc1, member 0x3e, term 7.
 */
final class WatchHarness implements AutoCloseable {

    static final long CLUSTER_ID = 0xc1;
    static final long MEMBER_ID = 0x3e;
    static final long TERM = 7;

    final MvccStore mvcc = new MvccStore(new InMemoryBackend());
    final WatchServer server;
    private long index;

    WatchHarness() {
        this(WatchOptions.defaults(1536 * 1024));
    }

    WatchHarness(WatchOptions options) {
        server = new WatchServer(mvcc, revision -> ResponseHeader.newBuilder()
                .setClusterId(CLUSTER_ID).setMemberId(MEMBER_ID).setRaftTerm(TERM).setRevision(revision).build(), options);
        server.start();
    }

    long put(String key, String value) {
        return mvcc.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build(), ++index)
                .getHeader().getRevision();
    }

    long delete(String key) {
        return mvcc.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build(), ++index)
                .getHeader().getRevision();
    }

    /** One txn putting every {@code key=value} pair given as alternating arguments. */
    long txnPut(String... keysAndValues) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                    .setKey(bytes(keysAndValues[i])).setValue(bytes(keysAndValues[i + 1]))));
        }
        return mvcc.txn(txn.build(), ++index).getHeader().getRevision();
    }

    /** Deletes {@code keys} in one txn as a lease revocation does ({@link MvccStore#deleteKeys}). */
    long revoke(String... keys) {
        java.util.List<byte[]> raw = new java.util.ArrayList<>();
        for (String key : keys) {
            raw.add(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return mvcc.deleteKeys(raw, ++index, batch -> { });
    }

    void compact(long revision) {
        mvcc.compact(CompactionRequest.newBuilder().setRevision(revision).build(), ++index);
    }

    static WatchRequest create(WatchCreateRequest.Builder create) {
        return WatchRequest.newBuilder().setCreateRequest(create).build();
    }

    static WatchCreateRequest.Builder watchKey(String key) {
        return WatchCreateRequest.newBuilder().setKey(bytes(key));
    }

    static WatchCreateRequest.Builder watchPrefix(String prefix) {
        byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return WatchCreateRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(ByteString.copyFrom(end));
    }

    static WatchRequest cancel(long watchId) {
        return WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build();
    }

    static WatchRequest progress() {
        return WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build();
    }

    static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    @Override
    public void close() {
        server.close();
        mvcc.close();
    }
}
