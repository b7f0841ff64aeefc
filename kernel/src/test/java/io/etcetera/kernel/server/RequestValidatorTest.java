package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.error.StatusCode;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** etcd's v3rpc/key.go checks, with etcd's exact codes and messages. */
class RequestValidatorTest {

    private static final int MAX_TXN_OPS = 4;

    private static ByteString key(String key) {
        return ByteString.copyFromUtf8(key);
    }

    private static RequestOp put(String key) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key(key))).build();
    }

    private static RequestOp delete(String key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key(key))).build();
    }

    private static RequestOp deleteRange(String key, String rangeEnd) {
        return RequestOp.newBuilder().setRequestDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(key(key)).setRangeEnd(key(rangeEnd))).build();
    }

    private static RequestOp deleteFromKeyOn(String key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                .setKey(key(key)).setRangeEnd(ByteString.copyFrom(new byte[] {0}))).build();
    }

    private static RequestOp range(String key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key(key))).build();
    }

    private static RequestOp nested(TxnRequest.Builder txn) {
        return RequestOp.newBuilder().setRequestTxn(txn).build();
    }

    private static void assertFails(ThrowingCallable call, EtcdError error, StatusCode code, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(EtcdException.class)
                .hasMessage(message)
                .satisfies(e -> {
                    EtcdException etcd = (EtcdException) e;
                    org.assertj.core.api.Assertions.assertThat(etcd.error()).isEqualTo(error);
                    org.assertj.core.api.Assertions.assertThat(etcd.code()).isEqualTo(code);
                });
    }

    private static void checkTxn(TxnRequest.Builder txn) {
        RequestValidator.checkTxn(txn.build(), MAX_TXN_OPS);
    }

    @Test
    void emptyKeyIsRefusedForRangePutAndDelete() {
        String message = "etcdserver: key is not provided";
        assertFails(() -> RequestValidator.checkRange(RangeRequest.getDefaultInstance()),
                EtcdError.EMPTY_KEY, StatusCode.INVALID_ARGUMENT, message);
        assertFails(() -> RequestValidator.checkPut(PutRequest.getDefaultInstance()),
                EtcdError.EMPTY_KEY, StatusCode.INVALID_ARGUMENT, message);
        assertFails(() -> RequestValidator.checkDelete(DeleteRangeRequest.getDefaultInstance()),
                EtcdError.EMPTY_KEY, StatusCode.INVALID_ARGUMENT, message);
    }

    @Test
    void ignoreValueWithAValueIsRefused() {
        assertFails(() -> RequestValidator.checkPut(
                        PutRequest.newBuilder().setKey(key("k")).setIgnoreValue(true).setValue(key("v")).build()),
                EtcdError.VALUE_PROVIDED, StatusCode.INVALID_ARGUMENT, "etcdserver: value is provided");
        assertThatCode(() -> RequestValidator.checkPut(
                PutRequest.newBuilder().setKey(key("k")).setIgnoreValue(true).build())).doesNotThrowAnyException();
    }

    @Test
    void ignoreLeaseWithALeaseIsRefused() {
        assertFails(() -> RequestValidator.checkPut(
                        PutRequest.newBuilder().setKey(key("k")).setIgnoreLease(true).setLease(7).build()),
                EtcdError.LEASE_PROVIDED, StatusCode.INVALID_ARGUMENT, "etcdserver: lease is provided");
    }

    @Test
    void txnWithMoreOpsThanMaxTxnOpsInAnyListIsRefused() {
        TxnRequest.Builder tooManySuccess = TxnRequest.newBuilder();
        TxnRequest.Builder tooManyCompares = TxnRequest.newBuilder();
        for (int i = 0; i <= MAX_TXN_OPS; i++) {
            tooManySuccess.addSuccess(put("k" + i));
            tooManyCompares.addCompare(Compare.newBuilder().setKey(key("k" + i)));
        }
        String message = "etcdserver: too many operations in txn request";
        assertFails(() -> checkTxn(tooManySuccess), EtcdError.TOO_MANY_OPS, StatusCode.INVALID_ARGUMENT, message);
        assertFails(() -> checkTxn(tooManyCompares), EtcdError.TOO_MANY_OPS, StatusCode.INVALID_ARGUMENT, message);

        TxnRequest.Builder atTheLimit = TxnRequest.newBuilder();
        for (int i = 0; i < MAX_TXN_OPS; i++) {
            atTheLimit.addSuccess(put("k" + i)).addFailure(put("k" + i));
        }
        assertThatCode(() -> checkTxn(atTheLimit)).doesNotThrowAnyException();
    }

    @Test
    void nestedTxnOpsCountAgainstWhatTheOuterTxnLeaves() {
        // The outer txn uses 3 of 4; the nested one may use only 1.
        TxnRequest.Builder outer = TxnRequest.newBuilder()
                .addSuccess(put("a")).addSuccess(put("b"))
                .addSuccess(nested(TxnRequest.newBuilder().addSuccess(put("c")).addSuccess(put("d"))));
        assertFails(() -> checkTxn(outer), EtcdError.TOO_MANY_OPS, StatusCode.INVALID_ARGUMENT,
                "etcdserver: too many operations in txn request");
    }

    @Test
    void emptyKeysInCompareOrOpsAreRefused() {
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addCompare(Compare.getDefaultInstance())),
                EtcdError.EMPTY_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: key is not provided");
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addFailure(range(""))),
                EtcdError.EMPTY_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: key is not provided");
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(
                        nested(TxnRequest.newBuilder().addSuccess(delete(""))))),
                EtcdError.EMPTY_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: key is not provided");
    }

    @Test
    void anOpWithNoRequestIsKeyNotFoundAsInEtcd() {
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance())),
                EtcdError.KEY_NOT_FOUND, StatusCode.INVALID_ARGUMENT, "etcdserver: key not found");
    }

    @Test
    void twoPutsOfOneKeyInABranchAreDuplicates() {
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(put("k")).addSuccess(put("k"))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
    }

    @Test
    void theSameKeyInSuccessAndFailureIsFine() {
        assertThatCode(() -> checkTxn(TxnRequest.newBuilder().addSuccess(put("k")).addFailure(put("k"))))
                .doesNotThrowAnyException();
    }

    @Test
    void aPutInsideADeletedRangeIsADuplicate() {
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(deleteRange("a", "c")).addSuccess(put("b"))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(put("k")).addSuccess(delete("k"))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertThatCode(() -> checkTxn(TxnRequest.newBuilder().addSuccess(deleteRange("a", "c")).addSuccess(put("c"))))
                .as("range_end is exclusive").doesNotThrowAnyException();
    }

    @Test
    void deleteFromKeyOnConflictsWithNoPutAsInEtcd() {
        // etcd's interval for range_end "\0" is empty, so this passes etcd's check too.
        assertThatCode(() -> checkTxn(TxnRequest.newBuilder().addSuccess(deleteFromKeyOn("a")).addSuccess(put("b"))))
                .doesNotThrowAnyException();
    }

    @Test
    void keysCompareAsUnsignedBytes() {
        RequestOp putHighByte = RequestOp.newBuilder().setRequestPut(
                PutRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {(byte) 0x80}))).build();
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(deleteRange("a", "\u00ff")) // UTF-8: c3 bf
                        .addSuccess(putHighByte)),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
    }

    @Test
    void nestedTxnPutsConflictWithOuterPutsAndDeletes() {
        TxnRequest.Builder inner = TxnRequest.newBuilder().addSuccess(put("k"));
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(put("k")).addSuccess(nested(inner))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(delete("k")).addSuccess(nested(inner))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
    }

    @Test
    void aNestedTxnMayPutTheSameKeyInBothOfItsBranches() {
        TxnRequest.Builder inner = TxnRequest.newBuilder().addSuccess(put("k")).addFailure(put("k"));
        assertThatCode(() -> checkTxn(TxnRequest.newBuilder().addSuccess(nested(inner)))).doesNotThrowAnyException();
    }

    @Test
    void twoNestedTxnsPuttingOneKeyAreDuplicates() {
        TxnRequest.Builder first = TxnRequest.newBuilder().addSuccess(put("k"));
        TxnRequest.Builder second = TxnRequest.newBuilder().addFailure(put("k"));
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(nested(first)).addSuccess(nested(second))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
    }

    @Test
    void aNestedDeleteConflictsWithAnOuterPut() {
        TxnRequest.Builder inner = TxnRequest.newBuilder().addFailure(deleteRange("a", "z"));
        assertFails(() -> checkTxn(TxnRequest.newBuilder().addSuccess(nested(inner)).addSuccess(put("m"))),
                EtcdError.DUPLICATE_KEY, StatusCode.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
    }

    @Test
    void tooManyOpsIsCheckedBeforeDuplicates() {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int i = 0; i <= MAX_TXN_OPS; i++) {
            txn.addSuccess(put("same"));
        }
        assertFails(() -> checkTxn(txn), EtcdError.TOO_MANY_OPS, StatusCode.INVALID_ARGUMENT,
                "etcdserver: too many operations in txn request");
    }
}
