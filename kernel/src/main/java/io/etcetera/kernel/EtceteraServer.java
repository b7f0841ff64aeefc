package io.etcetera.kernel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * API CONTRACT SKELETON — the server helper replaces every body; the signatures are fixed.
 *
 * <p>A running etcetera member: data dir, storage backend, WAL, apply loop and API front ends.
 */
public final class EtceteraServer implements AutoCloseable {

    private EtceteraServer() {
    }

    /**
     * Starts a member with {@code config}: opens or creates the data dir, recovers from the WAL,
     * starts the configured API front ends, and returns once clients can be served.
     *
     * @throws IOException when the data dir or a listen URL cannot be used
     * @throws IllegalArgumentException when the config names an unknown plugin
     */
    public static EtceteraServer start(ServerConfig config) throws IOException {
        throw new IllegalStateException("skeleton");
    }

    /** The client addresses actually bound (first front end's, in listen-URL order). */
    public List<InetSocketAddress> clientAddresses() {
        throw new IllegalStateException("skeleton");
    }

    /** Blocks until the server is closed. */
    public void awaitTermination() throws InterruptedException {
        throw new IllegalStateException("skeleton");
    }

    /** Stops the front ends, the apply loop and the WAL, and closes the backend. */
    @Override
    public void close() {
    }
}
