package io.etcetera.spi.transport;

import java.io.IOException;

/**
 * A peer request failed: the peer answered with an error (the message is the peer's), or the
 * request could not be delivered or timed out.
 */
public class PeerRequestException extends IOException {

    private final boolean remote;

    /** A failure the peer reported, with its message. */
    public PeerRequestException(String message) {
        this(message, true, null);
    }

    /**
     * @param remote true when the peer answered with this error, false when the request never got
     *     an answer (unreachable peer, lost connection, timeout)
     */
    public PeerRequestException(String message, boolean remote, Throwable cause) {
        super(message, cause);
        this.remote = remote;
    }

    /** Whether the peer answered with this error (else it was never answered). */
    public boolean remote() {
        return remote;
    }
}
