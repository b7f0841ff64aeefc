package io.etcetera.kernel.mvcc;

import io.etcetera.spi.mvccpb.Event;
import java.util.List;

/**
 * Where the {@link MvccStore} publishes the changes of each committed write txn: the watchable
 * store (etcd's {@code watchableStoreTxnWrite.End}, {@code mvcc/watchable_store_txn.go}).
 *
 * <p>Called on the apply thread, once per write txn that changed a key, in revision order, after
 * the txn's batch is committed and the store's current revision is {@code revision}, and outside
 * the store's lock (so the feed may read the store). Implementations must return quickly and never
 * block on a consumer: the apply loop waits for them.
 */
@FunctionalInterface
public interface ChangeFeed {

    /** A feed that drops every change. */
    ChangeFeed NONE = (revision, events) -> { };

    /**
     * The changes of the write txn that took main revision {@code revision}.
     *
     * @param events the txn's changes in sub-revision order: a put is a {@code PUT} event with
     *     the new key-value; a deletion is a {@code DELETE} event whose key-value holds the key
     *     and {@code mod_revision = revision} (etcd's tombstone event). Unmodifiable.
     */
    void committed(long revision, List<Event> events);
}
