package io.etcetera.api.grpc;

import io.etcetera.spi.error.EtcdError;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.function.BooleanSupplier;

/**
 * Refuses a call that requires a leader while this member knows none, as etcd 3.4's unary and
 * stream interceptors do ({@code etcdserver/api/v3rpc/interceptor.go}): a client marks such a
 * call with the metadata {@code hasleader: true} (clientv3's {@code WithRequireLeader}; etcdctl's
 * {@code watch} always does), and it fails at once with {@code UNAVAILABLE} "etcdserver: no
 * leader" instead of waiting on a member cut off from the cluster. Calls without the metadata
 * are served as before (a serializable read still works on such a member).
 *
 * <p>Checked when a call starts. A marked call that starts is served with {@link #REQUIRES_LEADER}
 * true in its gRPC {@link Context}, so a streaming service can remember it: etcd also ends such
 * streams once the member has had no leader for three election timeouts ({@code monitorLeader};
 * here {@link GrpcFrontEnd} does it for Watch streams). Thread-safe: stateless apart from the
 * supplier it reads.
 */
final class RequireLeaderGate implements ServerInterceptor {

    /** etcd's {@code rpctypes.MetadataRequireLeaderKey}. */
    static final Metadata.Key<String> REQUIRE_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    /** etcd's {@code rpctypes.MetadataHasLeader}: the only value that requires a leader. */
    static final String HAS_LEADER = "true";
    /** True in the context of a call marked as requiring a leader. */
    static final Context.Key<Boolean> REQUIRES_LEADER = Context.keyWithDefault("etcetera-requires-leader", false);

    private final BooleanSupplier leaderKnown;

    /** A gate that asks {@code leaderKnown} on each marked call whether this member knows a leader now. */
    RequireLeaderGate(BooleanSupplier leaderKnown) {
        this.leaderKnown = leaderKnown;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!HAS_LEADER.equals(headers.get(REQUIRE_LEADER))) {
            return next.startCall(call, headers);
        }
        if (leaderKnown.getAsBoolean()) {
            return Contexts.interceptCall(Context.current().withValue(REQUIRES_LEADER, true), call, headers, next);
        }
        return GrpcStatuses.refuse(call, EtcdError.NO_LEADER);
    }
}
