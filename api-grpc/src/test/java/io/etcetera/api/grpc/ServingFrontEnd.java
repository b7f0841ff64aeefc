package io.etcetera.api.grpc;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.server.EtcdServices;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A started gRPC front end on a free loopback port serving {@code services}, with a plaintext
 * channel to it; {@link #close()} shuts both. For one test.
 */
final class ServingFrontEnd implements AutoCloseable {

    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final ApiFrontEnd frontEnd;
    private final ManagedChannel channel;

    private ServingFrontEnd(ApiFrontEnd frontEnd, ManagedChannel channel) {
        this.frontEnd = frontEnd;
        this.channel = channel;
    }

    /** Starts a front end for {@code services} and opens a channel to it. */
    static ServingFrontEnd start(EtcdServices services) throws IOException {
        ApiFrontEnd frontEnd = new GrpcFrontEndProvider().create(new ApiContext(services,
                List.of(URI.create("http://127.0.0.1:0")), MAX_REQUEST_BYTES));
        frontEnd.start();
        return new ServingFrontEnd(frontEnd,
                NettyChannelBuilder.forAddress(frontEnd.boundAddresses().get(0)).usePlaintext().build());
    }

    ManagedChannel channel() {
        return channel;
    }

    /**
     * Opens a watch on {@code watch}, asks to watch key {@code k}, and returns the stream's
     * failure; the future fails instead when the stream answers or completes.
     */
    static CompletableFuture<Throwable> watchFailure(WatchGrpc.WatchStub watch) {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        StreamObserver<WatchRequest> requests = watch.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                failure.completeExceptionally(new AssertionError("unexpected watch response " + response));
            }

            @Override
            public void onError(Throwable t) {
                failure.complete(t);
            }

            @Override
            public void onCompleted() {
                failure.completeExceptionally(new AssertionError("the watch stream completed without an error"));
            }
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(
                WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build());
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            frontEnd.close();
        }
    }
}
