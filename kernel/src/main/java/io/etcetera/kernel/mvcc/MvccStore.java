package io.etcetera.kernel.mvcc;

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
import io.etcetera.spi.storage.Backend;

/**
 * API CONTRACT SKELETON — the mvcc helper replaces every body; the signatures are fixed.
 *
 * <p>etcd 3.4's MVCC key-value store on a {@link Backend}. Writes are called only from the apply
 * thread; each write is one atomic backend batch that also stores {@code consistentIndex} in the
 * META bucket. Reads are thread-safe and may run concurrently with writes.
 * Responses carry a header with only {@code revision} set; the server stamps the rest.
 */
public final class MvccStore implements AutoCloseable {

    /** Opens the store on {@code backend}, rebuilding the in-memory key index from it. */
    public MvccStore(Backend backend) {
        throw new IllegalStateException("skeleton");
    }

    /** The current (latest) main revision; 1 for an empty store, as etcd. */
    public long currentRevision() {
        throw new IllegalStateException("skeleton");
    }

    /** The revision of the last compaction, 0 if none. */
    public long compactRevision() {
        throw new IllegalStateException("skeleton");
    }

    /** The consistent index stored with the data: the last applied log index, 0 if none. */
    public long consistentIndex() {
        throw new IllegalStateException("skeleton");
    }

    /** Range (may throw EtcdException COMPACTED / FUTURE_REV). Thread-safe. */
    public RangeResponse range(RangeRequest request) {
        throw new IllegalStateException("skeleton");
    }

    /** Put; apply thread only. */
    public PutResponse put(PutRequest request, long consistentIndex) {
        throw new IllegalStateException("skeleton");
    }

    /** DeleteRange; apply thread only. */
    public DeleteRangeResponse deleteRange(DeleteRangeRequest request, long consistentIndex) {
        throw new IllegalStateException("skeleton");
    }

    /** Txn; apply thread only. */
    public TxnResponse txn(TxnRequest request, long consistentIndex) {
        throw new IllegalStateException("skeleton");
    }

    /** Compaction; apply thread only. */
    public CompactionResponse compact(CompactionRequest request, long consistentIndex) {
        throw new IllegalStateException("skeleton");
    }

    /** Stores {@code consistentIndex} alone, for applied entries that change no key. */
    public void saveConsistentIndex(long consistentIndex) {
        throw new IllegalStateException("skeleton");
    }

    @Override
    public void close() {
    }
}
