/**
 * etcd's v3 gRPC services on grpc-java over Netty (provider id {@code grpc}), wire-compatible
 * with etcd 3.4: service and method names, messages, status codes and messages.
 */
module io.etcetera.api.grpc {
    requires io.etcetera.spi;
    requires io.grpc;
    requires io.grpc.netty;
    requires io.grpc.protobuf;
    requires io.grpc.stub;
    requires io.netty.transport;
    requires com.google.common;

}
