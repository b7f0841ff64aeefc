package io.etcetera.spi.api;

/**
 * An API front-end plugin, found with {@link java.util.ServiceLoader} and chosen by
 * {@link #id()} ({@code grpc}, {@code rest}). Implementations must have a public no-argument
 * constructor.
 */
public interface ApiFrontEndProvider {

    /** The stable lowercase id used in config, logs and errors. */
    String id();

    /** Creates a front end for {@code context}; it serves nothing until started. */
    ApiFrontEnd create(ApiContext context);
}
