package io.etcetera.spi.error;

/**
 * The one error type at the API boundary: a request failed with one of etcd's errors. Front ends
 * turn it into their transport's status (gRPC code and message) unchanged.
 *
 * <p>Thrown by, or used to complete exceptionally the futures of, the service facades in
 * {@code io.etcetera.spi.server}. Immutable; stack traces are not captured because these are
 * expected outcomes of client requests, not faults of the member.
 */
public final class EtcdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient EtcdError error;

    /** An exception for {@code error}; its message is etcd's exact text. */
    public EtcdException(EtcdError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    /** The etcd error this exception carries. */
    public EtcdError error() {
        return error;
    }

    /** The gRPC status code of the error. */
    public StatusCode code() {
        return error.code();
    }
}
