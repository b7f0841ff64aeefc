package io.etcetera.kernel.concurrency;

import com.google.protobuf.ByteString;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.LockService;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.v3lockpb.LockRequest;
import io.etcetera.spi.v3lockpb.LockResponse;
import io.etcetera.spi.v3lockpb.UnlockRequest;
import io.etcetera.spi.v3lockpb.UnlockResponse;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link LockService} facade: etcd 3.4's {@code v3lock} server over
 * {@code concurrency.Mutex}, on the kernel's KV, Lease and Watch facades.
 *
 * <p>Lock: one txn {@code if create_revision(key) == 0 then put(key, "", lease), get(first
 * created under prefix) else get(key), get(first created under prefix)}; the lock is held at
 * once when the first created key is ours, else after {@link DeletionWait} sees every key
 * created before ours deleted (its holder unlocked, or its lease expired or was revoked). The
 * response header is the txn's when held at once, else the final read's. A failed or cancelled
 * wait deletes our key, as etcd does. As in etcd 3.4, a waiter whose own key disappears (its
 * lease expired) is not told until the keys before it are gone. Thread-safe.
 */
public final class LockServer implements LockService {
    private final KvService kv;
    private final LeaseService leases;
    private final WatchService watches;

    /** A lock service on the given facades. */
    public LockServer(KvService kv, LeaseService leases, WatchService watches) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.watches = Objects.requireNonNull(watches, "watches");
    }

    @Override
    public CompletableFuture<LockResponse> lock(LockRequest request) {
        ByteString prefix = CandidateKeys.prefix(request.getName());
        CompletableFuture<LockResponse> result = new CompletableFuture<>();
        Sessions.leaseFor(leases, request.getLease()).thenCompose(lease -> {
            ByteString key = CandidateKeys.candidate(prefix, lease);
            return kv.txn(TxnRequest.newBuilder()
                    .addCompare(CandidateKeys.createRevisionIs(key, 0))
                    .addSuccess(CandidateKeys.put(key, ByteString.EMPTY, lease))
                    .addSuccess(CandidateKeys.get(CandidateKeys.firstCreated(prefix)))
                    .addFailure(CandidateKeys.get(key))
                    .addFailure(CandidateKeys.get(CandidateKeys.firstCreated(prefix)))
                    .build()).thenApply(txn -> new Created(key, txn));
        }).whenComplete((created, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                awaitTurn(prefix, created, result);
            }
        });
        return result;
    }

    private void awaitTurn(ByteString prefix, Created created, CompletableFuture<LockResponse> result) {
        TxnResponse txn = created.txn();
        long myRevision = txn.getSucceeded() ? txn.getHeader().getRevision()
                : txn.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
        List<KeyValue> owner = txn.getResponses(1).getResponseRange().getKvsList();
        if (owner.isEmpty() || owner.get(0).getCreateRevision() == myRevision) {
            completeOrRelease(result, created.key(), txn.getHeader());
            return;
        }
        CompletableFuture<ResponseHeader> wait = DeletionWait.start(kv, watches, prefix, myRevision - 1);
        Cancellation.propagate(result, wait);
        wait.whenComplete((header, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                release(created.key());
            } else {
                completeOrRelease(result, created.key(), header);
            }
        });
    }

    /** Hands the lock to the caller, or gives it back when the caller has gone (cancelled). */
    private void completeOrRelease(CompletableFuture<LockResponse> result, ByteString key, ResponseHeader header) {
        if (!result.complete(LockResponse.newBuilder().setHeader(header).setKey(key).build())) {
            release(key);
        }
    }

    private void release(ByteString key) {
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build());
    }

    @Override
    public CompletableFuture<UnlockResponse> unlock(UnlockRequest request) {
        return kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(request.getKey()).build())
                .thenApply(deleted -> UnlockResponse.newBuilder().setHeader(deleted.getHeader()).build());
    }

    /** The lock key and the txn that created or found it. */
    private record Created(ByteString key, TxnResponse txn) {
    }
}
