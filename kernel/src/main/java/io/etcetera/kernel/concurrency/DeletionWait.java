package io.etcetera.kernel.concurrency;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.WatchService;
import java.util.concurrent.CompletableFuture;

/**
 * Waits until no key under a prefix has a create_revision at or below a bound (etcd
 * {@code concurrency.waitDeletes}): reads the newest such key, watches it from the read's
 * revision until it is deleted, and reads again, until none is left. Keys are served in
 * create_revision order this way without a thundering herd: each waiter watches only the key
 * just before its own.
 *
 * <p>The result completes with the header of the read that found no key left, or fails with the
 * KV or watch error. Cancelling it stops the wait and closes its watch. Thread-safe.
 */
final class DeletionWait implements KeyWatch.Listener {
    private final KvService kv;
    private final WatchService watches;
    private final ByteString prefix;
    private final long maxCreateRevision;
    private final CompletableFuture<ResponseHeader> result = new CompletableFuture<>();
    // guarded by this
    private KeyWatch current;

    private DeletionWait(KvService kv, WatchService watches, ByteString prefix, long maxCreateRevision) {
        this.kv = kv;
        this.watches = watches;
        this.prefix = prefix;
        this.maxCreateRevision = maxCreateRevision;
    }

    /** Starts waiting until no key under {@code prefix} has create_revision ≤ {@code maxCreateRevision}. */
    static CompletableFuture<ResponseHeader> start(KvService kv, WatchService watches, ByteString prefix, long maxCreateRevision) {
        DeletionWait wait = new DeletionWait(kv, watches, prefix, maxCreateRevision);
        wait.result.whenComplete((header, failure) -> wait.closeWatch());
        wait.readLastKey();
        return wait.result;
    }

    private void readLastKey() {
        if (result.isDone()) {
            return;
        }
        kv.range(CandidateKeys.lastCreatedUpTo(prefix, maxCreateRevision)).whenComplete(this::onRead);
    }

    private void onRead(RangeResponse read, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else if (read.getKvsCount() == 0) {
            result.complete(read.getHeader());
        } else {
            watchDeletion(read.getKvs(0).getKey(), read.getHeader().getRevision());
        }
    }

    private synchronized void watchDeletion(ByteString key, long revision) {
        if (result.isDone()) {
            return;
        }
        try {
            current = KeyWatch.open(watches, key, ByteString.EMPTY, revision, this);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public void onEvents(WatchResponse response) {
        for (Event event : response.getEventsList()) {
            if (event.getType() == Event.EventType.DELETE) {
                closeWatch();
                readLastKey();
                return;
            }
        }
    }

    @Override
    public void onFailure(EtcdException failure) {
        result.completeExceptionally(failure);
    }

    private void closeWatch() {
        KeyWatch watch;
        synchronized (this) {
            watch = current;
            current = null;
        }
        if (watch != null) {
            watch.close();
        }
    }
}
