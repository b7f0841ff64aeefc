package io.etcetera.spi.server;

import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.CompactionResponse;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The kernel's KV facade, etcd's {@code etcdserverpb.KV} service without a transport: front ends
 * (gRPC, REST) decode a request, call this, and encode the response. Semantics are etcd 3.4's
 * ({@code Documentation/dev-guide/api_reference_v3.md}); responses carry a filled
 * {@code ResponseHeader} {cluster_id, member_id, revision, raft_term}.
 *
 * <p>Every method returns at once; the future completes when the request is answered. A write
 * completes only after its log entry is fsync'd and applied. Failures complete the future
 * exceptionally with {@link io.etcetera.spi.error.EtcdException} carrying etcd's code and text
 * (empty key, too many ops, duplicate key, request too large, compacted or future revision).
 * Thread-safe.
 */
public interface KvService {

    /** Reads keys in a range (etcd {@code KV.Range}). */
    CompletableFuture<RangeResponse> range(RangeRequest request);

    /** Writes one key (etcd {@code KV.Put}); takes one new revision. */
    CompletableFuture<PutResponse> put(PutRequest request);

    /** Deletes a range of keys (etcd {@code KV.DeleteRange}). */
    CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request);

    /** Runs a transaction (etcd {@code KV.Txn}); all its writes share one revision. */
    CompletableFuture<TxnResponse> txn(TxnRequest request);

    /** Compacts the key-value history (etcd {@code KV.Compact}). */
    CompletableFuture<CompactionResponse> compact(CompactionRequest request);
}
