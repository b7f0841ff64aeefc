package io.etcetera.spi.storage;

/**
 * A failure of the storage engine (I/O error, corruption). The kernel treats it as fatal for the
 * member: state on disk can no longer be trusted to match what was applied.
 */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, caused by {@code cause} (may be null). */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
