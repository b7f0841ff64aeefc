/**
 * etcd's v3 gRPC services on grpc-java over Netty (provider id {@code grpc}), wire-compatible
 * with etcd 3.4: service and method names, messages, status codes and messages.
 *
 * <p>Served today: {@code etcdserverpb.KV}, {@code etcdserverpb.Lease},
 * {@code etcdserverpb.Watch}, {@code v3lockpb.Lock} and {@code v3electionpb.Election}. Settings
 * (see {@code GrpcFrontEnd}): client listen URLs ({@code http}, IP literal or
 * {@code localhost}, port 0 allowed); largest inbound message {@code --max-request-bytes} +
 * 512 KiB; keepalive enforcement 5 s without calls refused; server
 * keepalive 2 h / 20 s; close waits up to 7 s for open calls.
 */
module io.etcetera.api.grpc {
    requires io.etcetera.spi;
    requires io.grpc;
    requires io.grpc.netty;
    requires io.grpc.protobuf;
    requires io.grpc.stub;
    requires io.netty.common;
    requires io.netty.transport;
    requires com.google.common;

    // The generated client stubs, for the benchmark client in dist (etcetera benchmark).
    exports io.etcetera.api.grpc.pb to io.etcetera.dist;

    provides io.etcetera.spi.api.ApiFrontEndProvider with io.etcetera.api.grpc.GrpcFrontEndProvider;
}
