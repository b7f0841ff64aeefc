package io.etcetera.spi.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A running API front end (gRPC, REST): it serves the kernel's facades on client URLs.
 * Thread-safe.
 */
public interface ApiFrontEnd extends AutoCloseable {

    /**
     * Binds the listen URLs and starts serving.
     *
     * @throws IOException when a URL cannot be bound (port in use, bad address)
     */
    void start() throws IOException;

    /** The addresses actually bound, in the order of the listen URLs (port 0 resolved). */
    List<InetSocketAddress> boundAddresses();

    /** Stops accepting requests and releases the ports; waits a bounded time for in-flight calls. */
    @Override
    void close();
}
