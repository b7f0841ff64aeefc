package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call marked {@code hasleader: true} (clientv3's {@code WithRequireLeader}) fails with etcd's
 * {@code UNAVAILABLE} "etcdserver: no leader" on a member that knows no leader; unmarked calls,
 * and marked ones on a member with a leader, are served ({@code etcdserver/api/v3rpc/interceptor.go}).
 */
class RequireLeaderGateTest {

    private static final String NO_LEADER = "UNAVAILABLE: etcdserver: no leader";

    private final RecordingKvService kv = new RecordingKvService();
    private ApiFrontEnd frontEnd;
    private ManagedChannel channel;

    private ManagedChannel start(boolean leaderKnown) throws IOException {
        TestServices services = TestServices.of(kv);
        frontEnd = new GrpcFrontEndProvider().create(new ApiContext(leaderKnown ? services : services.withoutLeader(),
                List.of(URI.create("http://127.0.0.1:0")), 1024 * 1024));
        frontEnd.start();
        channel = NettyChannelBuilder.forAddress(frontEnd.boundAddresses().get(0)).usePlaintext().build();
        return channel;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private static Metadata requireLeader() {
        Metadata metadata = new Metadata();
        metadata.put(RequireLeaderGate.REQUIRE_LEADER, RequireLeaderGate.HAS_LEADER);
        return metadata;
    }

    private KVGrpc.KVBlockingStub kvClient(boolean leaderKnown, boolean requiringLeader) throws IOException {
        KVGrpc.KVBlockingStub stub = KVGrpc.newBlockingStub(start(leaderKnown)).withDeadlineAfter(10, TimeUnit.SECONDS);
        return requiringLeader ? stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(requireLeader())) : stub;
    }

    private static RangeRequest range() {
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setSerializable(true).build();
    }

    @Test
    void aCallRequiringALeaderFailsWithNoLeaderWhenTheMemberKnowsNone() throws IOException {
        KVGrpc.KVBlockingStub client = kvClient(false, true);

        assertThatThrownBy(() -> client.range(range()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessage(NO_LEADER);
        assertThat(kv.requests()).as("the service never saw the call").isEmpty();
    }

    @Test
    void aCallNotRequiringALeaderIsServedWithoutOne() throws IOException {
        KVGrpc.KVBlockingStub client = kvClient(false, false);
        RangeResponse answer = RangeResponse.newBuilder().setCount(1).build();
        kv.answer(answer);

        assertThat(client.range(range())).isEqualTo(answer);
    }

    @Test
    void aCallRequiringALeaderIsServedWhenTheMemberKnowsOne() throws IOException {
        KVGrpc.KVBlockingStub client = kvClient(true, true);
        RangeResponse answer = RangeResponse.newBuilder().setCount(2).build();
        kv.answer(answer);

        assertThat(client.range(range())).isEqualTo(answer);
    }

    @Test
    void aWatchStreamRequiringALeaderFailsWithNoLeaderWhenTheMemberKnowsNone() throws Exception {
        WatchGrpc.WatchStub watch = WatchGrpc.newStub(start(false))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(requireLeader()));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        StreamObserver<WatchRequest> requests = watch.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                failure.completeExceptionally(new AssertionError("unexpected response " + response));
            }

            @Override
            public void onError(Throwable t) {
                failure.complete(t);
            }

            @Override
            public void onCompleted() {
                failure.completeExceptionally(new AssertionError("completed without an error"));
            }
        });
        requests.onNext(WatchRequest.newBuilder()
                .setCreateRequest(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build());

        assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessage(NO_LEADER);
    }
}
