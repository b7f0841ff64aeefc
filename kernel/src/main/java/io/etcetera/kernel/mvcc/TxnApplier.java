package io.etcetera.kernel.mvcc;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.ResponseOp;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a Txn request, as etcd's {@code applierV3backend.Txn} ({@code etcdserver/apply.go}):
 * <ol>
 *   <li>Every compare of the txn and of the nested txns on the chosen branches is evaluated
 *       first, against the state before the txn ({@link TxnPlan}).</li>
 *   <li>The chosen operations are checked before anything is written: puts with an ignore flag
 *       need a live key, puts with a lease need an existing lease (only when the txn writes),
 *       ranges need a revision that is neither future nor compacted. A failed check fails the
 *       whole txn with nothing changed.</li>
 *   <li>The chosen operations run in order in one {@link StoreTxn}: all writes share one main
 *       revision and later reads see earlier writes.</li>
 * </ol>
 * The top-level header revision is the txn's new revision when it changed a key, otherwise the
 * current revision. Nested responses carry their own headers as in etcd: a range the revision it
 * read at, a put its revision, a delete the txn's revision so far, and a nested txn an empty
 * header (etcd never fills it). Stateless and thread-safe.
 */
final class TxnApplier {

    private TxnApplier() {
    }

    /**
     * The compare outcome of a txn and of the nested txns on its chosen branch.
     *
     * @param nested the plans of the nested txns of the chosen branch, in operation order
     */
    record TxnPlan(TxnRequest request, boolean succeeded, List<TxnPlan> nested) {

        /** The operations of the chosen branch. */
        List<RequestOp> operations() {
            return succeeded ? request.getSuccessList() : request.getFailureList();
        }
    }

    /**
     * Whether every operation of {@code request}, on both branches, is a range: etcd's
     * {@code isTxnReadonly} ({@code etcdserver/v3_server.go}). A nested txn counts as a write,
     * as in etcd, even when it only reads.
     */
    static boolean isReadOnly(TxnRequest request) {
        return request.getSuccessList().stream().allMatch(RequestOp::hasRequestRange)
                && request.getFailureList().stream().allMatch(RequestOp::hasRequestRange);
    }

    /**
     * Runs {@code request} in {@code txn}.
     *
     * @throws io.etcetera.spi.error.EtcdException KEY_NOT_FOUND, LEASE_NOT_FOUND, FUTURE_REV or
     *     COMPACTED from the checks; nothing is written then
     */
    static TxnResponse apply(StoreTxn txn, TxnRequest request, LeaseLookup leases) {
        TxnPlan plan = plan(txn, request);
        if (!isReadOnly(request)) {
            checkPuts(txn, plan, leases);
        }
        checkRanges(txn, plan);
        TxnResponse.Builder response = execute(txn, plan);
        return response.setHeader(KvApplier.header(txn.readRevision())).build();
    }

    private static TxnPlan plan(StoreTxn txn, TxnRequest request) {
        boolean succeeded = Compares.allHold(txn, request.getCompareList());
        List<TxnPlan> nested = new ArrayList<>();
        for (RequestOp operation : succeeded ? request.getSuccessList() : request.getFailureList()) {
            if (operation.hasRequestTxn()) {
                nested.add(plan(txn, operation.getRequestTxn()));
            }
        }
        return new TxnPlan(request, succeeded, nested);
    }

    private static void checkPuts(StoreTxn txn, TxnPlan plan, LeaseLookup leases) {
        int nestedIndex = 0;
        for (RequestOp operation : plan.operations()) {
            if (operation.hasRequestTxn()) {
                checkPuts(txn, plan.nested().get(nestedIndex++), leases);
            } else if (operation.hasRequestPut()) {
                PutRequest put = operation.getRequestPut();
                if ((put.getIgnoreValue() || put.getIgnoreLease()) && txn.get(put.getKey().toByteArray()) == null) {
                    throw EtcdError.KEY_NOT_FOUND.exception();
                }
                checkLease(put.getLease(), leases);
            }
        }
    }

    private static void checkRanges(StoreTxn txn, TxnPlan plan) {
        int nestedIndex = 0;
        for (RequestOp operation : plan.operations()) {
            if (operation.hasRequestTxn()) {
                checkRanges(txn, plan.nested().get(nestedIndex++));
            } else if (operation.hasRequestRange()) {
                RangeRequest range = operation.getRequestRange();
                // etcd checks against the state before the txn, also for a negative revision
                if (range.getRevision() == 0) {
                    continue;
                }
                if (range.getRevision() > txn.beginRevision()) {
                    throw EtcdError.FUTURE_REV.exception();
                }
                if (range.getRevision() < txn.compactRevision()) {
                    throw EtcdError.COMPACTED.exception();
                }
            }
        }
    }

    /** Fails with LEASE_NOT_FOUND when {@code leaseId} is set and unknown to {@code leases}. */
    static void checkLease(long leaseId, LeaseLookup leases) {
        if (leaseId != 0 && !leases.exists(leaseId)) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
    }

    private static TxnResponse.Builder execute(StoreTxn txn, TxnPlan plan) {
        TxnResponse.Builder response = TxnResponse.newBuilder().setSucceeded(plan.succeeded());
        int nestedIndex = 0;
        for (RequestOp operation : plan.operations()) {
            ResponseOp.Builder result = ResponseOp.newBuilder();
            switch (operation.getRequestCase()) {
                case REQUEST_RANGE -> result.setResponseRange(KvApplier.range(txn, operation.getRequestRange()));
                case REQUEST_PUT -> result.setResponsePut(KvApplier.put(txn, operation.getRequestPut()));
                case REQUEST_DELETE_RANGE ->
                        result.setResponseDeleteRange(KvApplier.deleteRange(txn, operation.getRequestDeleteRange()));
                case REQUEST_TXN -> result.setResponseTxn(execute(txn, plan.nested().get(nestedIndex++))
                        .setHeader(ResponseHeader.getDefaultInstance()));
                case REQUEST_NOT_SET -> {
                    // an empty operation has an empty response; front ends reject it before
                }
            }
            response.addResponses(result);
        }
        return response;
    }
}
