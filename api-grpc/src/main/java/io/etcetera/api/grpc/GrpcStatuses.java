package io.etcetera.api.grpc;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where a failed request becomes a gRPC status, as etcd 3.4 does it
 * ({@code etcdserver/api/v3rpc/util.go togRPCError}):
 * <ul>
 *   <li>{@link EtcdException}: its code and its exact message (clients such as etcdctl print the
 *       message, and clientv3 recognises errors by it);</li>
 *   <li>a cancelled future: {@code CANCELLED};</li>
 *   <li>anything else is a fault of the member, not of the request: {@code UNKNOWN} with the
 *       throwable's message (etcd answers {@code codes.Unknown, err.Error()}), logged with its
 *       stack trace.</li>
 * </ul>
 * Stateless; thread-safe.
 */
final class GrpcStatuses {
    private static final System.Logger LOG = System.getLogger(GrpcStatuses.class.getName());

    private GrpcStatuses() {
    }

    /** The status a client receives for {@code failure} (unwrapping future wrappers first). */
    static StatusException toStatusException(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof EtcdException etcd) {
            return Status.fromCodeValue(etcd.code().value()).withDescription(etcd.getMessage()).asException();
        }
        if (cause instanceof CancellationException) {
            return Status.CANCELLED.withDescription("context canceled").asException();
        }
        LOG.log(Level.WARNING, "request failed with an unexpected error", cause);
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        return Status.UNKNOWN.withDescription(message).asException();
    }

    /** Closes {@code call} with {@code error}'s status, for an interceptor that refuses it. */
    static void close(ServerCall<?, ?> call, EtcdError error) {
        call.close(toStatusException(error.exception()).getStatus(), new Metadata());
    }

    /**
     * Refuses {@code call} before any service sees it: closes it with {@code error}'s status and
     * returns a listener that ignores whatever the client still sends.
     */
    static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, EtcdError error) {
        close(call, error);
        return new ServerCall.Listener<>() {
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
