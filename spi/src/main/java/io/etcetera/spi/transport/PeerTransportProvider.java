package io.etcetera.spi.transport;

/**
 * A peer-transport plugin, found with {@link java.util.ServiceLoader} and chosen by {@link #id()}
 * ({@code netty}). Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface PeerTransportProvider {

    /** The stable lowercase id used in config, logs and errors ({@code netty}). */
    String id();

    /** Creates a transport for {@code context}; it binds nothing and dials nobody until started. */
    PeerTransport create(TransportContext context);
}
