package io.etcetera.kernel.mvcc;

import io.etcetera.spi.mvccpb.KeyValue;
import java.util.List;

/**
 * What an MVCC range read found (etcd {@code mvcc.RangeResult}).
 *
 * @param kvs the key-values read, in key order, at most the limit asked; empty for a count-only read
 * @param count how many keys of the range existed at the revision read, regardless of the limit
 * @param revision the revision of the view that was read (not the historical revision asked)
 */
record RangeResult(List<KeyValue> kvs, long count, long revision) {
}
