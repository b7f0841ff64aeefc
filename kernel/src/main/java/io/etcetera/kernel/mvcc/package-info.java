/**
 * etcd 3.4's multi-version key-value store (etcd {@code mvcc/}) with the request semantics of
 * etcd's applier ({@code etcdserver/apply.go}).
 *
 * <p>{@link io.etcetera.kernel.mvcc.MvccStore} is the entry point: the apply thread calls its
 * writes with the log index being applied, any thread calls its reads. Inside:
 * {@code Revision} (main, sub) and its 17/18-byte backend key, {@code KeyIndex} and
 * {@code Generation} (the revisions of one key), {@code TreeIndex} (all keys, unsigned byte
 * order), {@code StoreTxn} (one MVCC read or write txn), {@code KvApplier} and
 * {@code TxnApplier} (Range, Put, DeleteRange, Txn as etcd applies them), {@code Compares}
 * (txn guards), {@code StoreMeta} (the META bucket entries). {@link
 * io.etcetera.kernel.mvcc.LeaseLookup} is the hook through which the lease store answers
 * whether a lease exists.
 *
 * <p>Backend layout, as etcd's: bucket {@code KEY} maps revision keys to serialized
 * {@code mvccpb.KeyValue}s (a tombstone holds only the key); bucket {@code META} holds
 * {@code consistent_index} (8 bytes big-endian), {@code scheduledCompactRev} and
 * {@code finishedCompactRev} (17-byte revision keys).
 *
 * <p>Internal to the kernel: the package is not exported.
 */
package io.etcetera.kernel.mvcc;
