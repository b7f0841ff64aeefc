package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.bytes;
import static io.etcetera.kernel.mvcc.AppliedStore.compare;
import static io.etcetera.kernel.mvcc.AppliedStore.deleteOp;
import static io.etcetera.kernel.mvcc.AppliedStore.getOp;
import static io.etcetera.kernel.mvcc.AppliedStore.keys;
import static io.etcetera.kernel.mvcc.AppliedStore.putOp;
import static io.etcetera.kernel.mvcc.AppliedStore.txnOp;
import static io.etcetera.kernel.mvcc.AppliedStore.valueIs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.Compare.CompareResult;
import io.etcetera.spi.etcdserverpb.Compare.CompareTarget;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import org.junit.jupiter.api.Test;

class MvccStoreTxnTest {

    private static final long LEASE = 77;

    private final AppliedStore kv = new AppliedStore(new InMemoryBackend(), leaseId -> leaseId == LEASE);

    private boolean holds(Compare compare) {
        return kv.txn(TxnRequest.newBuilder().addCompare(compare).build()).getSucceeded();
    }

    private static void assertFails(Runnable request, EtcdError error) {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void succeededTxnRunsTheSuccessOperations() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addCompare(valueIs("a", "1"))
                .addSuccess(putOp("b", "yes"))
                .addFailure(putOp("c", "no"))
                .build());

        assertThat(response.getSucceeded()).isTrue();
        assertThat(kv.kv("b")).isNotNull();
        assertThat(kv.kv("c")).isNull();
    }

    @Test
    void failedCompareRunsTheFailureOperations() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addCompare(valueIs("a", "2"))
                .addSuccess(putOp("b", "yes"))
                .addFailure(putOp("c", "no"))
                .build());

        assertThat(response.getSucceeded()).isFalse();
        assertThat(kv.kv("b")).isNull();
        assertThat(kv.kv("c")).isNotNull();
    }

    @Test
    void compareResultsOnEachTarget() {
        kv.put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("m")).setLease(LEASE).build());
        kv.put("a", "m");
        // a: create 2, mod 3, version 2, lease 0, value "m"

        assertThat(holds(compare("a", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(2).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.VERSION, CompareResult.GREATER).setVersion(1).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.VERSION, CompareResult.LESS).setVersion(2).build())).isFalse();
        assertThat(holds(compare("a", CompareTarget.CREATE, CompareResult.EQUAL).setCreateRevision(2).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.CREATE, CompareResult.NOT_EQUAL).setCreateRevision(2).build())).isFalse();
        assertThat(holds(compare("a", CompareTarget.MOD, CompareResult.LESS).setModRevision(4).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.MOD, CompareResult.GREATER).setModRevision(3).build())).isFalse();
        assertThat(holds(compare("a", CompareTarget.LEASE, CompareResult.EQUAL).setLease(0).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.VALUE, CompareResult.GREATER).setValue(bytes("l")).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.VALUE, CompareResult.LESS).setValue(bytes("n")).build())).isTrue();
        assertThat(holds(compare("a", CompareTarget.VALUE, CompareResult.NOT_EQUAL).setValue(bytes("m")).build())).isFalse();
    }

    @Test
    void compareOnLeaseSeesTheKeysLease() {
        kv.put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("1")).setLease(LEASE).build());

        assertThat(holds(compare("a", CompareTarget.LEASE, CompareResult.EQUAL).setLease(LEASE).build())).isTrue();
    }

    @Test
    void valueComparesAsUnsignedBytes() {
        kv.put("a", "\u00ff");

        assertThat(holds(compare("a", CompareTarget.VALUE, CompareResult.GREATER).setValue(bytes("z")).build())).isTrue();
    }

    @Test
    void everyCompareMustHold() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addCompare(valueIs("a", "1"))
                .addCompare(valueIs("a", "2"))
                .build());

        assertThat(response.getSucceeded()).isFalse();
    }

    @Test
    void absentKeyComparesAsZeroRevisionsAndVersion() {
        assertThat(holds(compare("none", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(0).build())).isTrue();
        assertThat(holds(compare("none", CompareTarget.CREATE, CompareResult.EQUAL).setCreateRevision(0).build())).isTrue();
        assertThat(holds(compare("none", CompareTarget.MOD, CompareResult.LESS).setModRevision(1).build())).isTrue();
        assertThat(holds(compare("none", CompareTarget.LEASE, CompareResult.EQUAL).setLease(0).build())).isTrue();
    }

    @Test
    void valueCompareOnAnAbsentKeyAlwaysFails() {
        assertThat(holds(valueIs("none", ""))).isFalse();
        assertThat(holds(compare("none", CompareTarget.VALUE, CompareResult.NOT_EQUAL).setValue(bytes("x")).build()))
                .isFalse();
    }

    @Test
    void compareOperandOfAnotherTargetCountsAsZero() {
        kv.put("a", "1");

        // target VERSION but the operand is a mod_revision: etcd compares the version with 0
        assertThat(holds(compare("a", CompareTarget.VERSION, CompareResult.GREATER).setModRevision(100).build())).isTrue();
    }

    @Test
    void compareWithRangeEndNeedsEveryKeyInTheRange() {
        kv.put("k1", "same");
        kv.put("k2", "same");
        kv.put("l", "other");

        Compare allSame = compare("k", CompareTarget.VALUE, CompareResult.EQUAL)
                .setValue(bytes("same")).setRangeEnd(bytes("l")).build();
        assertThat(holds(allSame)).isTrue();

        kv.put("k3", "different");
        assertThat(holds(allSame)).isFalse();
    }

    @Test
    void compareWithRangeEndOverNoKeysComparesTheZeroKeyValue() {
        Compare noneCreated = compare("x", CompareTarget.CREATE, CompareResult.EQUAL)
                .setCreateRevision(0).setRangeEnd(bytes("y")).build();

        assertThat(holds(noneCreated)).isTrue();
    }

    @Test
    void txnWritesShareOneRevisionWithSubRevisionsInOrder() {
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("a", "1"))
                .addSuccess(putOp("b", "1"))
                .addSuccess(deleteOp("a"))
                .build());

        assertThat(response.getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.store.currentRevision()).isEqualTo(2);
        assertThat(kv.kv("b").getModRevision()).isEqualTo(2);
        assertThat(kv.kv("a")).isNull();
        assertThat(kv.backend.keys(io.etcetera.spi.storage.Bucket.KEY)).containsExactly(
                new Revision(2, 0).toKey(), new Revision(2, 1).toKey(), new Revision(2, 2).toTombstoneKey());
    }

    @Test
    void readsInsideATxnSeeItsEarlierWrites() {
        kv.put("a", "old");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(getOp("a"))
                .addSuccess(putOp("a", "new"))
                .addSuccess(getOp("a"))
                .build());

        var before = response.getResponses(0).getResponseRange();
        var after = response.getResponses(2).getResponseRange();
        assertThat(before.getKvs(0).getValue()).isEqualTo(bytes("old"));
        assertThat(before.getHeader().getRevision()).as("no change yet: the current revision").isEqualTo(2);
        assertThat(after.getKvs(0).getValue()).isEqualTo(bytes("new"));
        assertThat(after.getKvs(0).getVersion()).isEqualTo(2);
        assertThat(after.getHeader().getRevision()).as("after a change: the txn's revision").isEqualTo(3);
    }

    @Test
    void putInsideATxnSeesAnEarlierPutOfTheSameTxn() {
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("a")).setValue(bytes("2")).setPrevKv(true)))
                .build());

        assertThat(response.getResponses(1).getResponsePut().getPrevKv().getValue()).isEqualTo(bytes("1"));
        assertThat(kv.kv("a").getVersion()).isEqualTo(2);
        assertThat(kv.kv("a").getCreateRevision()).isEqualTo(2);
        assertThat(kv.kv("a").getModRevision()).isEqualTo(2);
    }

    @Test
    void nestedResponseHeadersFollowEtcd() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(getOp("a"))
                .addSuccess(deleteOp("zz"))
                .addSuccess(putOp("b", "2"))
                .addSuccess(getOp("b"))
                .addSuccess(deleteOp("zz"))
                .build());

        // the same revisions etcd 3.4.23 returns for this txn
        assertThat(response.getHeader().getRevision()).isEqualTo(3);
        assertThat(response.getResponses(0).getResponseRange().getHeader().getRevision()).isEqualTo(2);
        assertThat(response.getResponses(1).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(2);
        assertThat(response.getResponses(2).getResponsePut().getHeader().getRevision()).isEqualTo(3);
        assertThat(response.getResponses(3).getResponseRange().getHeader().getRevision()).isEqualTo(3);
        assertThat(response.getResponses(4).getResponseDeleteRange().getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void txnThatChangesNothingTakesNoRevision() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(getOp("a"))
                .addSuccess(deleteOp("absent"))
                .build());

        assertThat(response.getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.store.currentRevision()).isEqualTo(2);
        assertThat(kv.store.consistentIndex()).as("the index is stored all the same").isEqualTo(2);
    }

    @Test
    void nestedTxnRunsItsChosenBranchAndHasAnEmptyHeader() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addCompare(valueIs("a", "1"))
                .addSuccess(putOp("x", "outer"))
                .addSuccess(txnOp(TxnRequest.newBuilder()
                        .addCompare(valueIs("a", "nope"))
                        .addSuccess(putOp("y", "inner-success"))
                        .addFailure(putOp("y", "inner-failure"))
                        .build()))
                .addSuccess(putOp("z", "last"))
                .build());

        assertThat(response.getSucceeded()).isTrue();
        TxnResponse nested = response.getResponses(1).getResponseTxn();
        assertThat(nested.getSucceeded()).isFalse();
        assertThat(nested.hasHeader()).isTrue();
        assertThat(nested.getHeader().getRevision()).isZero();
        assertThat(nested.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(3);
        assertThat(kv.kv("y").getValue()).isEqualTo(bytes("inner-failure"));
        assertThat(kv.kv("z").getModRevision()).isEqualTo(3);
        assertThat(kv.store.currentRevision()).isEqualTo(3);
    }

    @Test
    void nestedComparesSeeTheStateBeforeTheTxn() {
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("a", "1"))
                .addSuccess(txnOp(TxnRequest.newBuilder()
                        .addCompare(valueIs("a", "1"))
                        .addSuccess(putOp("seen", "yes"))
                        .addFailure(putOp("seen", "no"))
                        .build()))
                .build());

        assertThat(response.getResponses(1).getResponseTxn().getSucceeded()).isFalse();
        assertThat(kv.kv("seen").getValue()).isEqualTo(bytes("no"));
    }

    @Test
    void rangeInsideATxnAtAFutureRevisionFailsTheWholeTxn() {
        kv.put("a", "1");

        assertFails(() -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("b", "1"))
                .addSuccess(getOp(RangeRequest.newBuilder().setKey(bytes("a")).setRevision(3)))
                .build()), EtcdError.FUTURE_REV);

        assertThat(kv.kv("b")).isNull();
        assertThat(kv.store.currentRevision()).isEqualTo(2);
        assertThat(kv.store.consistentIndex()).isEqualTo(1);
    }

    @Test
    void rangeInsideATxnAtACompactedRevisionFailsTheWholeTxn() {
        kv.put("a", "1");
        kv.put("a", "2");
        kv.compact(3);

        assertFails(() -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("b", "1"))
                .addSuccess(getOp(RangeRequest.newBuilder().setKey(bytes("a")).setRevision(2)))
                .build()), EtcdError.COMPACTED);
        assertThat(kv.kv("b")).isNull();
    }

    @Test
    void putInsideATxnWithAnUnknownLeaseFailsTheWholeTxn() {
        assertFails(() -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("b")).setLease(5)))
                .build()), EtcdError.LEASE_NOT_FOUND);

        assertThat(kv.kv("a")).isNull();
        assertThat(kv.store.currentRevision()).isEqualTo(1);
    }

    @Test
    void putInsideATxnWithIgnoreValueOnAnAbsentKeyFailsKeyNotFound() {
        assertFails(() -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(putOp("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("b")).setIgnoreValue(true)))
                .build()), EtcdError.KEY_NOT_FOUND);

        assertThat(kv.kv("a")).isNull();
    }

    @Test
    void checksOnlyCoverTheChosenBranch() {
        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addCompare(valueIs("missing", "x"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("b")).setLease(5)))
                .addFailure(putOp("ok", "1"))
                .build());

        assertThat(response.getSucceeded()).isFalse();
        assertThat(kv.kv("ok")).isNotNull();
    }

    @Test
    void operationFailingAfterEarlierWritesOfTheTxnChangesNothing() {
        kv.put("a", "1");

        // the delete makes the later ignore_value put fail while it runs; front ends reject such
        // a txn (duplicate key), the store must still stay unchanged
        assertFails(() -> kv.txn(TxnRequest.newBuilder()
                .addSuccess(deleteOp("a"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes("a")).setIgnoreValue(true)))
                .build()), EtcdError.KEY_NOT_FOUND);

        assertThat(kv.kv("a").getValue()).isEqualTo(bytes("1"));
        assertThat(kv.store.currentRevision()).isEqualTo(2);
        kv.put("b", "1");
        assertThat(kv.kv("b").getModRevision()).isEqualTo(3);
    }

    @Test
    void readOnlyTxnRunsWithoutTheApplyThread() {
        kv.put("a", "1");
        TxnRequest read = TxnRequest.newBuilder()
                .addCompare(valueIs("a", "1"))
                .addSuccess(getOp("a"))
                .build();

        assertThat(MvccStore.isReadOnly(read)).isTrue();
        TxnResponse response = kv.store.readOnlyTxn(read);

        assertThat(response.getSucceeded()).isTrue();
        assertThat(keys(response.getResponses(0).getResponseRange())).containsExactly("a");
        assertThat(response.getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.store.consistentIndex()).isEqualTo(1);
    }

    @Test
    void txnWithAWriteOrANestedTxnIsNotReadOnly() {
        TxnRequest withPut = TxnRequest.newBuilder().addFailure(putOp("a", "1")).build();
        TxnRequest withNested = TxnRequest.newBuilder()
                .addSuccess(txnOp(TxnRequest.newBuilder().addSuccess(getOp("a")).build())).build();

        assertThat(MvccStore.isReadOnly(withPut)).isFalse();
        assertThat(MvccStore.isReadOnly(withNested)).isFalse();
        assertThatThrownBy(() -> kv.store.readOnlyTxn(withPut)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteInsideATxnReturnsPrevKvsAndTakesTheTxnRevision() {
        kv.put("a", "1");

        TxnResponse response = kv.txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
                        io.etcetera.spi.etcdserverpb.DeleteRangeRequest.newBuilder()
                                .setKey(bytes("a")).setPrevKv(true)))
                .build());

        var delete = response.getResponses(0).getResponseDeleteRange();
        assertThat(delete.getDeleted()).isEqualTo(1);
        assertThat(delete.getPrevKvs(0).getValue()).isEqualTo(bytes("1"));
        assertThat(delete.getHeader().getRevision()).isEqualTo(3);
    }
}
