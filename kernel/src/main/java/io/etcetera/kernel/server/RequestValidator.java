package io.etcetera.kernel.server;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;

/**
 * The checks etcd's gRPC KV server makes before a request reaches the server
 * ({@code etcdserver/api/v3rpc/key.go}: {@code checkRangeRequest}, {@code checkPutRequest},
 * {@code checkDeleteRequest}, {@code checkTxnRequest}, {@code checkRequestOp}), in the same order
 * so the same request fails with the same error. Duplicate-key checks are {@link TxnIntervals}'.
 *
 * <p>Stateless; thread-safe.
 */
final class RequestValidator {

    private RequestValidator() {
    }

    /** @throws EtcdException {@link EtcdError#EMPTY_KEY} */
    static void checkRange(RangeRequest request) {
        if (request.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
    }

    /**
     * @throws EtcdException {@link EtcdError#EMPTY_KEY}, {@link EtcdError#VALUE_PROVIDED} when
     *     {@code ignore_value} is set with a value, {@link EtcdError#LEASE_PROVIDED} when
     *     {@code ignore_lease} is set with a lease
     */
    static void checkPut(PutRequest request) {
        if (request.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
        if (request.getIgnoreValue() && !request.getValue().isEmpty()) {
            throw EtcdError.VALUE_PROVIDED.exception();
        }
        if (request.getIgnoreLease() && request.getLease() != 0) {
            throw EtcdError.LEASE_PROVIDED.exception();
        }
    }

    /** @throws EtcdException {@link EtcdError#EMPTY_KEY} */
    static void checkDelete(DeleteRangeRequest request) {
        if (request.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
    }

    /**
     * Checks a txn: first its size, then compares, then every op (nested txns recursively, with
     * the ops budget reduced by the outer txn's count as etcd does), then duplicate keys.
     *
     * @throws EtcdException {@link EtcdError#TOO_MANY_OPS} when the compares or either branch
     *     hold more than {@code maxTxnOps}; {@link EtcdError#EMPTY_KEY}; {@link EtcdError#KEY_NOT_FOUND}
     *     for an op with no request set (etcd's answer to an empty op);
     *     {@link EtcdError#DUPLICATE_KEY}; and the errors of the ops' own checks
     */
    static void checkTxn(TxnRequest request, int maxTxnOps) {
        checkTxnOps(request, maxTxnOps);
        // After the cheap checks, to avoid the quadratic blow-up on a request that fails anyway.
        TxnIntervals.check(request.getSuccessList());
        TxnIntervals.check(request.getFailureList());
    }

    private static void checkTxnOps(TxnRequest request, int maxTxnOps) {
        int ops = Math.max(request.getCompareCount(), Math.max(request.getSuccessCount(), request.getFailureCount()));
        if (ops > maxTxnOps) {
            throw EtcdError.TOO_MANY_OPS.exception();
        }
        for (Compare compare : request.getCompareList()) {
            if (compare.getKey().isEmpty()) {
                throw EtcdError.EMPTY_KEY.exception();
            }
        }
        for (RequestOp op : request.getSuccessList()) {
            checkOp(op, maxTxnOps - ops);
        }
        for (RequestOp op : request.getFailureList()) {
            checkOp(op, maxTxnOps - ops);
        }
    }

    private static void checkOp(RequestOp op, int maxTxnOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnOps(op.getRequestTxn(), maxTxnOps);
            case REQUEST_NOT_SET -> throw EtcdError.KEY_NOT_FOUND.exception();
        }
    }
}
