package io.etcetera.kernel.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.etcetera.kernel.lease.LeaseApplier;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.kernel.server.pb.MemberAttributesRequest;
import io.etcetera.spi.error.EtcdException;
import java.lang.System.Logger.Level;
import java.util.function.LongConsumer;

/**
 * Applies one committed log entry to the MVCC store or the lessor (etcd's
 * {@code applyEntryNormal} and {@code applyV3}), passing the entry's index as the consistent
 * index so the store records it in the same backend batch as the change.
 *
 * <p>An empty normal entry (a new leader's no-op) changes no key: only the consistent index is
 * saved. Conf changes and published member attributes go to the {@link MembershipEntries}. A request that fails with an
 * {@link EtcdException} (a lease or revision the store refuses) fails only its own waiter; the
 * index is still saved, since the entry is applied, with no effect. Any other exception means
 * the state machine can no longer be trusted and propagates to the apply loop.
 *
 * <p>Not thread-safe: called from the apply thread only.
 */
public final class EntryApplier {

    private static final System.Logger LOG = System.getLogger(EntryApplier.class.getName());

    private final MvccStore mvcc;
    private final LeaseApplier leases;
    private final Wait wait;
    private final LongConsumer onEmptyEntry;
    private final MembershipEntries membership;

    /**
     * An applier writing to {@code mvcc} and {@code leases} and answering the proposers waiting
     * in {@code wait}. {@code onEmptyEntry} is told the index of each empty normal entry once it
     * is applied: a new leader's first entry, after which its lessor is promoted (etcd's
     * {@code applyEntryNormal}).
     */
    public EntryApplier(MvccStore mvcc, LeaseApplier leases, Wait wait, LongConsumer onEmptyEntry) {
        this(mvcc, leases, wait, onEmptyEntry, new MembershipEntries() {
            @Override
            public void applyConfChange(Entry entry) {
                mvcc.saveConsistentIndex(entry.getIndex());
            }

            @Override
            public void applyAttributes(long index, MemberAttributesRequest request) {
                mvcc.saveConsistentIndex(index);
            }
        });
    }

    /**
     * An applier as above whose conf changes and member attributes go to {@code membership}.
     */
    public EntryApplier(MvccStore mvcc, LeaseApplier leases, Wait wait, LongConsumer onEmptyEntry,
            MembershipEntries membership) {
        this.mvcc = mvcc;
        this.leases = leases;
        this.wait = wait;
        this.onEmptyEntry = onEmptyEntry;
        this.membership = membership;
    }

    /**
     * Applies {@code entry}.
     *
     * @throws IllegalStateException when the entry cannot be decoded (a corrupt log)
     */
    public void apply(Entry entry) {
        long index = entry.getIndex();
        switch (entry.getType()) {
            case EntryNormal -> {
                if (entry.getData().isEmpty()) {
                    mvcc.saveConsistentIndex(index);
                    onEmptyEntry.accept(index);
                } else {
                    applyRequest(index, decode(entry));
                }
            }
            case EntryConfChange -> membership.applyConfChange(entry);
            case EntryConfChangeV2 -> mvcc.saveConsistentIndex(index);
            default -> throw new IllegalStateException(
                    "entry " + index + " has an unknown type " + entry.getTypeValue());
        }
    }

    private void applyRequest(long index, InternalRaftRequest request) {
        long id = request.getHeader().getID();
        try {
            Message response = switch (request.getRequestCase()) {
                case PUT -> mvcc.put(request.getPut(), index);
                case DELETE_RANGE -> mvcc.deleteRange(request.getDeleteRange(), index);
                case TXN -> mvcc.txn(request.getTxn(), index);
                case COMPACTION -> mvcc.compact(request.getCompaction(), index);
                case LEASE_GRANT -> leases.grant(request.getLeaseGrant(), index);
                case LEASE_REVOKE -> leases.revoke(request.getLeaseRevoke(), index);
                case LEASE_CHECKPOINT -> leases.checkpoint(request.getLeaseCheckpoint(), index);
                case RANGE -> {
                    mvcc.saveConsistentIndex(index);
                    yield mvcc.range(request.getRange());
                }
                case MEMBER_ATTRIBUTES -> {
                    membership.applyAttributes(index, request.getMemberAttributes());
                    // the publishing member only needs to know it is applied: echo the request
                    yield request.getMemberAttributes();
                }
                case REQUEST_NOT_SET -> {
                    // Written by a newer version with a request this one does not know.
                    LOG.log(Level.WARNING, "entry {0} holds no request this member knows; applied as a no-op", index);
                    mvcc.saveConsistentIndex(index);
                    yield null;
                }
            };
            if (response != null) {
                wait.trigger(id, response);
            }
        } catch (EtcdException e) {
            mvcc.saveConsistentIndex(index);
            wait.fail(id, e);
        }
    }

    private static InternalRaftRequest decode(Entry entry) {
        try {
            return InternalRaftRequest.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("committed entry " + entry.getIndex() + " cannot be decoded", e);
        }
    }
}
