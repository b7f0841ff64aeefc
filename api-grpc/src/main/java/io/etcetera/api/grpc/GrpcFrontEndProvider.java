package io.etcetera.api.grpc;

import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.api.ApiFrontEndProvider;

/**
 * The gRPC API front end (provider id {@value #ID}): etcd's v3 gRPC services on grpc-java over
 * Netty, found with {@link java.util.ServiceLoader}. Thread-safe (stateless).
 */
public final class GrpcFrontEndProvider implements ApiFrontEndProvider {

    /** The stable provider id used in config, logs and errors. */
    public static final String ID = "grpc";

    /** Required by {@link java.util.ServiceLoader}. */
    public GrpcFrontEndProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    /** A {@link GrpcFrontEnd} for {@code context}; it binds nothing until started. */
    @Override
    public ApiFrontEnd create(ApiContext context) {
        return new GrpcFrontEnd(context);
    }
}
