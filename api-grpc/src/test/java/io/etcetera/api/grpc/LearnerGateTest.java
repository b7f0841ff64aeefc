package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.ClusterGrpc;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.MaintenanceGrpc;
import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A learner serves only Maintenance.Status and serializable ranges, and refuses the rest with
 * etcd's {@code UNAVAILABLE} "etcdserver: rpc not supported for learner"
 * ({@code etcdserver/api/v3rpc/interceptor.go}).
 */
class LearnerGateTest {

    private static final String NOT_SUPPORTED = "UNAVAILABLE: etcdserver: rpc not supported for learner";

    private final RecordingKvService kv = new RecordingKvService();
    private ServingFrontEnd serving;
    private ManagedChannel channel;

    private ManagedChannel start(boolean learner) throws IOException {
        TestServices services = TestServices.of(kv);
        serving = ServingFrontEnd.start(learner ? services.asLearner() : services);
        channel = serving.channel();
        return channel;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (serving != null) {
            serving.close();
        }
    }

    private KVGrpc.KVBlockingStub kvClient(boolean learner) throws IOException {
        return KVGrpc.newBlockingStub(start(learner)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static RangeRequest range(boolean serializable) {
        return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setSerializable(serializable).build();
    }

    @Test
    void learnerServesSerializableRangeAndStatus() throws IOException {
        KVGrpc.KVBlockingStub client = kvClient(true);
        RangeResponse answer = RangeResponse.newBuilder().setCount(1).build();
        kv.answer(answer);

        assertThat(client.range(range(true))).isEqualTo(answer);
        assertThat(MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance()).getVersion()).isEqualTo("3.4.23");
        assertThat(kv.requests()).containsExactly(range(true));
    }

    @Test
    void learnerRefusesLinearizableRangeWritesAndMembership() throws IOException {
        KVGrpc.KVBlockingStub client = kvClient(true);

        assertThatThrownBy(() -> client.range(range(false)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                .hasMessage(NOT_SUPPORTED);
        assertThatThrownBy(() -> client.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build()))
                .hasMessage(NOT_SUPPORTED);
        assertThatThrownBy(() -> ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .memberList(MemberListRequest.getDefaultInstance()))
                .hasMessage(NOT_SUPPORTED);
        assertThat(kv.requests()).isEmpty();
    }

    @Test
    void learnerRefusesStreams() throws Exception {
        CompletableFuture<Throwable> failure = ServingFrontEnd.watchFailure(WatchGrpc.newStub(start(true)));

        assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessage(NOT_SUPPORTED);
    }

    @Test
    void voterServesLinearizableRange() throws IOException {
        KVGrpc.KVBlockingStub client = kvClient(false);
        RangeResponse answer = RangeResponse.newBuilder().setCount(2).build();
        kv.answer(answer);

        assertThat(client.range(range(false))).isEqualTo(answer);
    }
}
