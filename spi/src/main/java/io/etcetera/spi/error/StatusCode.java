package io.etcetera.spi.error;

/**
 * gRPC status codes, with the numeric values of the gRPC specification
 * ({@code grpc/doc/statuscodes.md}). The spi module does not depend on grpc-java; front ends map
 * these onto their transport's own status type by {@link #value()}.
 */
public enum StatusCode {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private final int value;

    StatusCode(int value) {
        this.value = value;
    }

    /** The numeric gRPC code. */
    public int value() {
        return value;
    }
}
