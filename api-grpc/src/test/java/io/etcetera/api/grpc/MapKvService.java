package io.etcetera.api.grpc;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.CompactionResponse;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.server.KvService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny map-backed {@link KvService} for wire tests with real clients: single-key put, range and
 * delete with etcd's revisions and headers, compaction bookkeeping, and etcd's errors for an empty
 * key, a future revision and a compacted revision. No history: a range at an old revision reads
 * the latest values. Transactions are answered {@code ErrNotCapable}, as this double has none.
 * Thread-safe (synchronized).
 */
final class MapKvService implements KvService {
    static final long CLUSTER_ID = 0x1234;
    static final long MEMBER_ID = 0x5678;
    static final long RAFT_TERM = 2;

    private final Map<ByteString, KeyValue> latest = new HashMap<>();
    private long revision = 1;
    private long compactedRevision;

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(CLUSTER_ID).setMemberId(MEMBER_ID)
                .setRevision(revision).setRaftTerm(RAFT_TERM).build();
    }

    @Override
    public synchronized CompletableFuture<RangeResponse> range(RangeRequest request) {
        if (request.getKey().isEmpty()) {
            return CompletableFuture.failedFuture(EtcdError.EMPTY_KEY.exception());
        }
        if (request.getRevision() > revision) {
            return CompletableFuture.failedFuture(EtcdError.FUTURE_REV.exception());
        }
        if (request.getRevision() > 0 && request.getRevision() <= compactedRevision) {
            return CompletableFuture.failedFuture(EtcdError.COMPACTED.exception());
        }
        RangeResponse.Builder response = RangeResponse.newBuilder().setHeader(header());
        KeyValue found = latest.get(request.getKey());
        if (found != null) {
            response.addKvs(found).setCount(1);
        }
        return CompletableFuture.completedFuture(response.build());
    }

    @Override
    public synchronized CompletableFuture<PutResponse> put(PutRequest request) {
        if (request.getKey().isEmpty()) {
            return CompletableFuture.failedFuture(EtcdError.EMPTY_KEY.exception());
        }
        revision++;
        KeyValue previous = latest.get(request.getKey());
        latest.put(request.getKey(), KeyValue.newBuilder().setKey(request.getKey()).setValue(request.getValue())
                .setCreateRevision(previous == null ? revision : previous.getCreateRevision())
                .setModRevision(revision)
                .setVersion(previous == null ? 1 : previous.getVersion() + 1)
                .build());
        return CompletableFuture.completedFuture(PutResponse.newBuilder().setHeader(header()).build());
    }

    @Override
    public synchronized CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        if (request.getKey().isEmpty()) {
            return CompletableFuture.failedFuture(EtcdError.EMPTY_KEY.exception());
        }
        boolean deleted = latest.remove(request.getKey()) != null;
        if (deleted) {
            revision++;
        }
        return CompletableFuture.completedFuture(
                DeleteRangeResponse.newBuilder().setHeader(header()).setDeleted(deleted ? 1 : 0).build());
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return CompletableFuture.failedFuture(EtcdError.NOT_CAPABLE.exception());
    }

    @Override
    public synchronized CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        if (request.getRevision() <= compactedRevision) {
            return CompletableFuture.failedFuture(EtcdError.COMPACTED.exception());
        }
        if (request.getRevision() > revision) {
            return CompletableFuture.failedFuture(EtcdError.FUTURE_REV.exception());
        }
        compactedRevision = request.getRevision();
        return CompletableFuture.completedFuture(CompactionResponse.newBuilder().setHeader(header()).build());
    }
}
