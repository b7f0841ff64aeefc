package io.etcetera.kernel.mvcc;

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
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.mvccpb.Event;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * etcd 3.4's multi-version key-value store ({@code mvcc/kvstore.go}, with the request semantics
 * of {@code etcdserver/apply.go}) on a {@link Backend}.
 *
 * <p><b>Revisions.</b> Every write that changes a key takes exactly one new main revision for all
 * its changes; a txn or delete that changes nothing takes none. An empty store is at revision 1.
 * Each change is stored in {@link Bucket#KEY} under its 17-byte revision key (18 bytes with the
 * tombstone mark {@code 't'} for a deletion) as a serialized {@code mvccpb.KeyValue}; an
 * in-memory index maps each key to its generations of revisions and is rebuilt from the backend
 * when the store opens.
 *
 * <p><b>Durability.</b> Every write ({@link #put}, {@link #deleteRange}, {@link #txn},
 * {@link #compact}, {@link #saveConsistentIndex}) is one atomic backend {@link WriteBatch} that
 * also stores the raft log index it applies ({@code consistent_index}, 8 bytes big-endian, in
 * {@link Bucket#META}), so after a crash data and index always agree and the server replays the
 * log from the index on. A write that fails with an {@link io.etcetera.spi.error.EtcdException}
 * changes nothing, not even the stored index: the applier then calls
 * {@link #saveConsistentIndex}. A write that fails with a
 * {@link io.etcetera.spi.storage.StorageException} also leaves the store as it was (the index is
 * rebuilt from the untouched backend), but the member should stop: its disk misbehaves.
 *
 * <p><b>Responses.</b> Each response carries a header with only {@code revision} set; the server
 * stamps {@code cluster_id}, {@code member_id} and {@code raft_term}. The revision is the one
 * etcd reports: the current revision for reads (also historical ones) and for writes that changed
 * nothing, the new revision for writes that changed a key.
 *
 * <p><b>Thread-safety.</b> Writes must come from one thread, the apply thread (Raft log order).
 * Reads ({@link #range}, {@link #readOnlyTxn}, the revision getters) may run on any thread at
 * any time. A {@link ReentrantReadWriteLock} keeps them consistent: reads hold the read lock and
 * run concurrently with each other; a write holds the write lock from its first index change
 * until its batch is committed, so a read sees either all of a write or none of it. etcd instead
 * lets reads run on a copy-on-write view during a write; the lock is simpler and a write's
 * critical section is short (one batch commit, which engines need not fsync).
 */
public final class MvccStore implements AutoCloseable {

    private final Backend backend;
    private final LeaseLookup leases;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();

    // guarded by lock: replaced under the write lock, read under either lock
    private TreeIndex index;
    private volatile long currentRevision;
    /** etcd's compactMainRev: {@link StoreMeta#NO_COMPACTION} until the first compaction. */
    private volatile long compactRevision;
    private volatile long consistentIndex;
    private volatile boolean closed;
    private volatile ChangeFeed changeFeed = ChangeFeed.NONE;

    /**
     * Opens the store on {@code backend} with no lease store: every put with a lease fails with
     * LEASE_NOT_FOUND. See {@link #MvccStore(Backend, LeaseLookup)}.
     */
    public MvccStore(Backend backend) {
        this(backend, LeaseLookup.NONE);
    }

    /**
     * Opens the store on {@code backend}: rebuilds the key index from {@link Bucket#KEY} and reads
     * the current revision (the newest stored one, at least the compact revision, 1 when empty),
     * the compact revision and the consistent index, so a restarted member continues where it
     * stopped. The store does not own the backend: closing the store leaves it open.
     *
     * @param leases tells whether a lease named by a put exists, and is told which keys committed
     *     writes attach to or detach from leases (and, at open, each live key's lease)
     * @throws io.etcetera.spi.storage.StorageException when the backend fails or holds corrupt data
     */
    public MvccStore(Backend backend, LeaseLookup leases) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.leases = Objects.requireNonNull(leases, "leases");
        writeLock.lock();
        try {
            restore();
            long scheduled = StoreMeta.readScheduledCompaction(backend);
            if (scheduled > compactRevision) {
                // a compaction recorded as scheduled but not finished (an older writer); finish it
                compactLocked(scheduled, consistentIndex);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** The current main revision: that of the newest write, 1 for an empty store. Thread-safe. */
    public long currentRevision() {
        return currentRevision;
    }

    /** The revision of the last compaction, 0 if the store was never compacted. Thread-safe. */
    public long compactRevision() {
        return Math.max(0, compactRevision);
    }

    /** The consistent index stored with the data: the last applied log index, 0 if none. Thread-safe. */
    public long consistentIndex() {
        return consistentIndex;
    }

    /**
     * Whether {@code request} only reads: every operation of both branches is a range (etcd's
     * {@code isTxnReadonly}; a nested txn counts as a write). etcd serves such a txn without
     * going through Raft; see {@link #readOnlyTxn}.
     */
    public static boolean isReadOnly(TxnRequest request) {
        return TxnApplier.isReadOnly(request);
    }

    /**
     * Range (etcd {@code KV.Range}): the keys of {@code [key, range_end)} at {@code revision}
     * (0 = current), with etcd's limit, sort, filter, {@code keys_only} and {@code count_only}
     * rules; see {@link KvApplier#range}. The header revision is the current revision.
     * Thread-safe; may run concurrently with writes and sees a consistent state.
     *
     * @throws io.etcetera.spi.error.EtcdException FUTURE_REV when {@code revision} is after the
     *     current revision, COMPACTED when it is before the compact revision
     */
    public RangeResponse range(RangeRequest request) {
        return read(txn -> KvApplier.range(txn, request));
    }

    /**
     * Runs a read-only txn (see {@link #isReadOnly}) outside the apply thread, as etcd serves one
     * without Raft. Same result as {@link #txn} would give at this moment, nothing is written.
     * Thread-safe.
     *
     * @throws IllegalArgumentException when {@code request} is not read-only
     * @throws io.etcetera.spi.error.EtcdException FUTURE_REV or COMPACTED for a range revision
     */
    public TxnResponse readOnlyTxn(TxnRequest request) {
        if (!isReadOnly(request)) {
            throw new IllegalArgumentException("txn writes; apply it through the log");
        }
        return read(txn -> TxnApplier.apply(txn, request, leases));
    }

    /**
     * Put (etcd {@code KV.Put}): a new version of the key at a new revision, which is the header
     * revision. Apply thread only.
     *
     * @param consistentIndex the log index of the entry being applied, stored in the same batch
     * @throws io.etcetera.spi.error.EtcdException LEASE_NOT_FOUND when {@code lease} is set and
     *     unknown; KEY_NOT_FOUND when {@code ignore_value} or {@code ignore_lease} is set and the
     *     key is not live. Nothing is written then.
     */
    public PutResponse put(PutRequest request, long consistentIndex) {
        return write(consistentIndex, txn -> {
            TxnApplier.checkLease(request.getLease(), leases);
            return KvApplier.put(txn, request);
        });
    }

    /**
     * DeleteRange (etcd {@code KV.DeleteRange}): deletes the live keys of the range. The header
     * revision is the new revision if a key was deleted, else the current one. Apply thread only.
     *
     * @param consistentIndex the log index of the entry being applied, stored in the same batch
     */
    public DeleteRangeResponse deleteRange(DeleteRangeRequest request, long consistentIndex) {
        return write(consistentIndex, txn -> KvApplier.deleteRange(txn, request));
    }

    /**
     * Txn (etcd {@code KV.Txn}): evaluates the compares, then runs the success or failure
     * operations in one MVCC txn; see {@link TxnApplier}. Apply thread only.
     *
     * @param consistentIndex the log index of the entry being applied, stored in the same batch
     * @throws io.etcetera.spi.error.EtcdException KEY_NOT_FOUND, LEASE_NOT_FOUND, FUTURE_REV or
     *     COMPACTED when a chosen operation cannot run; nothing is written then
     */
    public TxnResponse txn(TxnRequest request, long consistentIndex) {
        return write(consistentIndex, txn -> TxnApplier.apply(txn, request, leases));
    }

    /**
     * Compaction (etcd {@code KV.Compact}): drops from the index and the backend every revision
     * at or before {@code revision} except, for each key, the newest one at or before it that is
     * not a tombstone; a key whose newest such revision is a tombstone vanishes. Reads before
     * {@code revision} then fail with COMPACTED. The removal is always physical and done when this
     * returns, so {@code physical} changes nothing. The compact revision is stored in
     * {@link Bucket#META} ({@code scheduledCompactRev}, {@code finishedCompactRev}) in the same
     * batch. The header revision is the current revision. Apply thread only.
     *
     * @param consistentIndex the log index of the entry being applied, stored in the same batch
     * @throws io.etcetera.spi.error.EtcdException COMPACTED when {@code revision} is at or before
     *     the compact revision, FUTURE_REV when it is after the current revision
     */
    public CompactionResponse compact(CompactionRequest request, long consistentIndex) {
        writeLock.lock();
        try {
            checkWritable(consistentIndex);
            long revision = request.getRevision();
            if (revision <= compactRevision) {
                throw EtcdError.COMPACTED.exception();
            }
            if (revision > currentRevision) {
                throw EtcdError.FUTURE_REV.exception();
            }
            compactLocked(revision, consistentIndex);
            return CompactionResponse.newBuilder().setHeader(KvApplier.header(currentRevision)).build();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Stores {@code consistentIndex} alone, for applied entries that change no key (failed
     * requests, entries of other kinds). Apply thread only.
     */
    public void saveConsistentIndex(long consistentIndex) {
        writeLock.lock();
        try {
            checkWritable(consistentIndex);
            try (WriteBatch batch = backend.newBatch()) {
                StoreMeta.writeConsistentIndex(batch, consistentIndex);
                batch.commit();
            }
            this.consistentIndex = consistentIndex;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Stores {@code consistentIndex} and the non-key changes {@code alsoWrite} makes (the lessor's
     * lease records) in one batch. Apply thread only.
     */
    public void saveConsistentIndex(long consistentIndex, Consumer<WriteBatch> alsoWrite) {
        writeLock.lock();
        try {
            checkWritable(consistentIndex);
            try (WriteBatch batch = backend.newBatch()) {
                alsoWrite.accept(batch);
                StoreMeta.writeConsistentIndex(batch, consistentIndex);
                batch.commit();
            }
            this.consistentIndex = consistentIndex;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Deletes each live key of {@code keys}, in the order given, in ONE write txn, so all the
     * deletions share one new revision (none if no key was live), and writes the changes
     * {@code alsoWrite} makes in the same batch: etcd's lease revocation, which deletes the keys
     * and the lease record together ({@code lease/lessor.go Revoke}). Apply thread only.
     *
     * @param consistentIndex the log index of the entry being applied, stored in the same batch
     * @return the header revision: the new revision if a key was deleted, else the current one
     */
    public long deleteKeys(List<byte[]> keys, long consistentIndex, Consumer<WriteBatch> alsoWrite) {
        return write(consistentIndex, alsoWrite, txn -> {
            for (byte[] key : keys) {
                txn.deleteRange(KeyRange.single(key));
            }
            return txn.readRevision();
        });
    }

    /**
     * Rebuilds the key index, revisions and consistent index from the backend, after its contents
     * were replaced by a snapshot from the leader (etcd's {@code mvcc.Restore}); live keys are
     * re-attached to their leases, so reload the lessor first. The consistent index may go back
     * or forward: it is the snapshot's. Apply thread only.
     */
    public void reload() {
        writeLock.lock();
        try {
            checkOpen();
            restore();
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the store; later calls fail with IllegalStateException. The backend stays open. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            closed = true;
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T read(Function<StoreTxn, T> body) {
        readLock.lock();
        try {
            checkOpen();
            return body.apply(StoreTxn.read(index, backend, currentRevision, compactRevision));
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Runs {@code body} in a write txn and commits its changes with {@code consistentIndex} in one
     * batch. On any failure the batch is dropped and, if the body had already changed the index,
     * the index is rebuilt from the backend, which the failed write never touched.
     */
    private <T> T write(long consistentIndex, Function<StoreTxn, T> body) {
        return write(consistentIndex, batch -> { }, body);
    }

    /** {@link #write(long, Function)} that also writes {@code alsoWrite}'s changes in the batch. */
    private <T> T write(long consistentIndex, Consumer<WriteBatch> alsoWrite, Function<StoreTxn, T> body) {
        T response;
        List<KeyValue> changes;
        long revision;
        writeLock.lock();
        try (WriteBatch batch = backend.newBatch()) {
            checkWritable(consistentIndex);
            StoreTxn txn = StoreTxn.write(index, backend, currentRevision, compactRevision, batch);
            try {
                response = body.apply(txn);
                alsoWrite.accept(batch);
                StoreMeta.writeConsistentIndex(batch, consistentIndex);
                batch.commit();
            } catch (RuntimeException e) {
                if (txn.hasChanges()) {
                    restore();
                }
                throw e;
            }
            changes = txn.changes();
            if (!changes.isEmpty()) {
                currentRevision++;
                tellLeases(txn.changes());
            }
            revision = currentRevision;
            this.consistentIndex = consistentIndex;
        } finally {
            writeLock.unlock();
        }
        if (!changes.isEmpty()) {
            // outside the lock: the feed may read the store (prev_kv, history) without deadlock
            changeFeed.committed(revision, toEvents(revision, changes));
        }
        return response;
    }

    /** The watch events of a txn's changes at {@code revision} (etcd {@code watchableStoreTxnWrite.End}). */
    private static List<Event> toEvents(long revision, List<KeyValue> changes) {
        List<Event> events = new ArrayList<>(changes.size());
        for (KeyValue change : changes) {
            events.add(change.getCreateRevision() == 0
                    ? Event.newBuilder().setType(Event.EventType.DELETE)
                            .setKv(change.toBuilder().setModRevision(revision)).build()
                    : Event.newBuilder().setType(Event.EventType.PUT).setKv(change).build());
        }
        return List.copyOf(events);
    }

    /**
     * Sets where committed write txns are published (see {@link ChangeFeed}); replaces the
     * previous feed. Call before the apply loop starts. Thread-safe.
     */
    public void changeFeed(ChangeFeed feed) {
        this.changeFeed = Objects.requireNonNull(feed, "feed");
    }

    /**
     * Reads the change history of main revisions {@code [fromRevision, toRevision]} as watch
     * events, for watchers catching up (etcd {@code syncWatchers} with {@code kvsToEvents}): puts
     * as {@code PUT} events with the stored key-value, deletions as {@code DELETE} events whose
     * key-value holds the key and the deletion's {@code mod_revision}. Only events whose key
     * {@code keys} accepts are returned. Reading stops at the first revision boundary after the
     * events read reach {@code maxBytes} (serialized key-value bytes), so one revision is never
     * split and at least one revision is read. Thread-safe; runs under the read lock, so a
     * concurrent compaction is seen either wholly or not at all.
     *
     * @param toRevision the last revision to read; capped at the current revision
     * @param maxBytes soft limit of the bytes read, in bytes
     * @throws io.etcetera.spi.error.EtcdException COMPACTED when {@code fromRevision} is before
     *     the compact revision (its history is gone, etcd's watcher is then canceled)
     */
    public EventHistory rangeEvents(long fromRevision, long toRevision, Predicate<byte[]> keys, long maxBytes) {
        readLock.lock();
        try {
            checkOpen();
            if (fromRevision < compactRevision) {
                throw EtcdError.COMPACTED.exception();
            }
            long from = Math.max(1, fromRevision);
            long to = Math.min(toRevision, currentRevision);
            if (from > to) {
                return new EventHistory(List.of(), from);
            }
            List<Event> events = new ArrayList<>();
            long[] next = {to + 1};
            long[] bytes = {0};
            long[] lastMain = {0};
            backend.scan(Bucket.KEY, Revision.ofMain(from).toKey(), Revision.ofMain(to + 1).toKey(), (key, value) -> {
                Revision revision = Revision.fromKey(key);
                if (revision.main() != lastMain[0] && bytes[0] >= maxBytes) {
                    next[0] = revision.main();
                    return false;
                }
                lastMain[0] = revision.main();
                bytes[0] += value.length;
                KeyValue kv = StoreTxn.parse(value);
                if (keys.test(kv.getKey().toByteArray())) {
                    events.add(Revision.isTombstoneKey(key)
                            ? Event.newBuilder().setType(Event.EventType.DELETE)
                                    .setKv(kv.toBuilder().setModRevision(revision.main())).build()
                            : Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build());
                }
                return true;
            });
            return new EventHistory(events, next[0]);
        } finally {
            readLock.unlock();
        }
    }

    /** Compacts at {@code revision}, which the caller checked; holds the write lock. */
    private void compactLocked(long revision, long consistentIndex) {
        try (WriteBatch batch = backend.newBatch()) {
            try {
                Set<Revision> keep = index.compact(revision);
                List<byte[]> obsolete = new ArrayList<>();
                backend.scan(Bucket.KEY, new byte[0], Revision.ofMain(revision + 1).toKey(), (key, value) -> {
                    if (!keep.contains(Revision.fromKey(key))) {
                        obsolete.add(key);
                    }
                    return true;
                });
                for (byte[] key : obsolete) {
                    batch.delete(Bucket.KEY, key);
                }
                StoreMeta.writeCompaction(batch, revision);
                StoreMeta.writeConsistentIndex(batch, consistentIndex);
                batch.commit();
            } catch (RuntimeException e) {
                restore();
                throw e;
            }
        }
        compactRevision = revision;
        this.consistentIndex = consistentIndex;
    }

    /**
     * Rebuilds the index, revisions and consistent index from the backend (etcd
     * {@code store.restore}); holds the write lock.
     */
    private void restore() {
        TreeIndex rebuilt = new TreeIndex();
        long[] newestMain = {1};
        // the lease of each live key's newest version, to re-attach keys as etcd's restore does
        Map<ByteString, Long> leased = new HashMap<>();
        backend.scan(Bucket.KEY, new byte[0], null, (key, value) -> {
            Revision revision = Revision.fromKey(key);
            KeyValue kv = StoreTxn.parse(value);
            boolean tombstone = Revision.isTombstoneKey(key);
            rebuilt.restore(kv.getKey().toByteArray(), revision, tombstone,
                    kv.getCreateRevision(), kv.getVersion());
            if (tombstone || kv.getLease() == 0) {
                leased.remove(kv.getKey());
            } else {
                leased.put(kv.getKey(), kv.getLease());
            }
            newestMain[0] = revision.main();
            return true;
        });
        leased.forEach((key, lease) -> leases.keyPut(key.toByteArray(), lease));
        long compacted = StoreMeta.readFinishedCompaction(backend);
        index = rebuilt;
        compactRevision = compacted;
        currentRevision = Math.max(newestMain[0], compacted);
        consistentIndex = StoreMeta.readConsistentIndex(backend);
    }

    /** Tells the lessor which keys a committed write attached, moved or detached. */
    private void tellLeases(List<KeyValue> changes) {
        for (KeyValue change : changes) {
            if (change.getModRevision() == 0) {
                // a deletion: StoreTxn records it as a key-value with only the key set
                leases.keyDeleted(change.getKey().toByteArray());
            } else {
                leases.keyPut(change.getKey().toByteArray(), change.getLease());
            }
        }
    }

    private void checkWritable(long consistentIndex) {
        checkOpen();
        if (consistentIndex < this.consistentIndex) {
            // applying an entry twice, or out of order, would diverge from the other members
            throw new IllegalArgumentException("consistent index " + consistentIndex
                    + " is before the stored one " + this.consistentIndex);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mvcc: closed");
        }
    }
}
