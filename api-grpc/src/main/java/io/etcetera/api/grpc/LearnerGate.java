package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.MaintenanceGrpc;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.function.BooleanSupplier;

/**
 * Refuses the RPCs a learner does not serve, as etcd 3.4's interceptors do
 * ({@code etcdserver/api/v3rpc/interceptor.go}, {@code util.go isRPCSupportedForLearner}): while
 * this member is a learner, only {@code Maintenance.Status} and a serializable {@code KV.Range}
 * are served; every other unary call and every stream (Watch, LeaseKeepAlive, Observe, ...) fails
 * with {@code UNAVAILABLE} "etcdserver: rpc not supported for learner", which clients such as
 * etcdctl print and clientv3 uses to try another endpoint. Whether the member is a learner is read
 * per call, so a promoted member serves at once.
 *
 * <p>A unary call is judged on its request message (a Range's {@code serializable} flag); the
 * service never sees a refused call. Thread-safe: stateless apart from the supplier it reads.
 */
final class LearnerGate implements ServerInterceptor {

    private static final String STATUS_METHOD = MaintenanceGrpc.getStatusMethod().getFullMethodName();
    private static final String RANGE_METHOD = KVGrpc.getRangeMethod().getFullMethodName();

    private final BooleanSupplier learner;

    /** A gate that asks {@code learner} on each call whether this member is a learner now. */
    LearnerGate(BooleanSupplier learner) {
        this.learner = learner;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!learner.getAsBoolean()) {
            return next.startCall(call, headers);
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        if (call.getMethodDescriptor().getType() != MethodType.UNARY) {
            return refuse(call);
        }
        if (method.equals(STATUS_METHOD)) {
            return next.startCall(call, headers);
        }
        if (!method.equals(RANGE_METHOD)) {
            return refuse(call);
        }
        return new SerializableOnly<>(next.startCall(call, headers), call);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call) {
        return GrpcStatuses.refuse(call, EtcdError.NOT_SUPPORTED_FOR_LEARNER);
    }

    /** Passes a serializable Range on to the service; closes the call on any other request. */
    private static final class SerializableOnly<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final ServerCall<Q, R> call;
        private boolean refused;

        SerializableOnly(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call) {
            super(delegate);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            if (message instanceof RangeRequest range && range.getSerializable()) {
                super.onMessage(message);
            } else {
                refused = true;
                GrpcStatuses.close(call, EtcdError.NOT_SUPPORTED_FOR_LEARNER);
            }
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!refused) {
                super.onReady();
            }
        }
    }
}
