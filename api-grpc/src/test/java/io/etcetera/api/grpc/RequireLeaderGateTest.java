package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
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
    private ServingFrontEnd serving;

    private ManagedChannel start(boolean leaderKnown) throws IOException {
        TestServices services = TestServices.of(kv);
        serving = ServingFrontEnd.start(leaderKnown ? services : services.withoutLeader());
        return serving.channel();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (serving != null) {
            serving.close();
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
        assertServed(kvClient(false, false));
    }

    @Test
    void aCallRequiringALeaderIsServedWhenTheMemberKnowsOne() throws IOException {
        assertServed(kvClient(true, true));
    }

    private void assertServed(KVGrpc.KVBlockingStub client) {
        RangeResponse answer = RangeResponse.newBuilder().setCount(1).build();
        kv.answer(answer);

        assertThat(client.range(range())).isEqualTo(answer);
    }

    @Test
    void aWatchStreamRequiringALeaderFailsWithNoLeaderWhenTheMemberKnowsNone() throws Exception {
        WatchGrpc.WatchStub watch = WatchGrpc.newStub(start(false))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(requireLeader()));
        CompletableFuture<Throwable> failure = ServingFrontEnd.watchFailure(watch);

        assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessage(NO_LEADER);
    }
}
