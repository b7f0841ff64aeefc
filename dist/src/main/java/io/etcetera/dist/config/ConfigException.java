package io.etcetera.dist.config;

/**
 * A configuration that cannot be used: an unknown key, a malformed value, or a combination etcd
 * refuses. The message is one line that names the option as the user wrote it (flag, variable or
 * config-file key) and the value; the launcher prints it and exits with status 1, as etcd does
 * for {@code error verifying flags}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the error with its one-line {@code message}. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates the error with its one-line {@code message} and the library error behind it. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
