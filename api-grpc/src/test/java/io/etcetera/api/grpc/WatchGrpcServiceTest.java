package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.kernel.EtceteraServer;
import io.etcetera.kernel.ServerConfig;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.WatchCancelRequest;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Watch service over a real gRPC client, with the real kernel (RocksDB) behind it. */
class WatchGrpcServiceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private EtceteraServer server;
    private ManagedChannel channel;
    private KVGrpc.KVBlockingStub kv;

    @BeforeEach
    void start() throws IOException {
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig config = new ServerConfig("default", dataDir, List.of(URI.create("http://127.0.0.1:0")),
                defaults.advertiseClientUrls(), defaults.initialAdvertisePeerUrls(), defaults.initialClusterToken(),
                defaults.maxTxnOps(), defaults.maxRequestBytes(), "rocksdb", List.of("grpc"));
        server = EtceteraServer.start(config);
        InetSocketAddress address = server.clientAddresses().get(0);
        channel = NettyChannelBuilder.forAddress(address).usePlaintext().build();
        kv = KVGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    /** Records a call's responses; optionally reads nothing until {@link #readAll()}. */
    private static final class Recorder implements ClientResponseObserver<WatchRequest, WatchResponse> {
        private final boolean stalled;
        final List<WatchResponse> responses = new ArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        private volatile ClientCallStreamObserver<WatchRequest> call;

        Recorder(boolean stalled) {
            this.stalled = stalled;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
            call = requestStream;
            if (stalled) {
                requestStream.disableAutoRequestWithInitial(1);
            }
        }

        @Override
        public synchronized void onNext(WatchResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable failure) {
            error.set(failure);
        }

        @Override
        public void onCompleted() {
        }

        void readAll() {
            call.request(Integer.MAX_VALUE);
        }

        synchronized List<WatchResponse> snapshot() {
            return List.copyOf(responses);
        }

        synchronized List<Event> events() {
            List<Event> events = new ArrayList<>();
            responses.forEach(response -> events.addAll(response.getEventsList()));
            return events;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + DEADLINE);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private long put(String key, String value) {
        return kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).build()).getHeader().getRevision();
    }

    private static WatchRequest watchPrefix(String prefix, long startRevision) {
        byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(prefix)).setRangeEnd(ByteString.copyFrom(end))
                .setStartRevision(startRevision)).build();
    }

    @Test
    void eventsCrossTheWireWithStampedHeadersAndCancelAnswersCanceled() {
        long first = put("w/a", "1");
        Recorder recorder = new Recorder(false);
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(recorder);
        requests.onNext(watchPrefix("w/", first));
        put("w/b", "2");
        put("x", "ignored");
        long last = put("w/a", "3");
        await("three events", () -> recorder.events().size() == 3);
        WatchResponse created = recorder.snapshot().get(0);
        assertThat(created.getCreated()).isTrue();
        assertThat(created.getHeader().getClusterId()).isNotZero();
        assertThat(created.getHeader().getMemberId()).isNotZero();
        assertThat(created.getHeader().getRaftTerm()).isEqualTo(2);
        assertThat(recorder.events()).extracting(e -> e.getKv().getKey().toStringUtf8() + "=" + e.getKv().getValue().toStringUtf8())
                .containsExactly("w/a=1", "w/b=2", "w/a=3");
        assertThat(recorder.snapshot().get(recorder.snapshot().size() - 1).getHeader().getRevision()).isEqualTo(last);

        requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0)).build());
        await("the cancel answer", () -> recorder.snapshot().stream().anyMatch(WatchResponse::getCanceled));
        requests.onCompleted();
    }

    @Test
    void aClientThatStopsReadingIsHeldBackByFlowControlAndThenGetsEveryEventInOrder() {
        Recorder stalled = new Recorder(true);
        WatchGrpc.newStub(channel).watch(stalled).onNext(watchPrefix("s/", 0));
        await("created", () -> stalled.snapshot().size() == 1);
        Recorder live = new Recorder(false);
        WatchGrpc.newStub(channel).watch(live).onNext(watchPrefix("s/", 0));
        await("created", () -> live.snapshot().size() == 1);

        String value = "v".repeat(2048);
        int writes = 600;
        long firstRevision = 0;
        for (int i = 0; i < writes; i++) {
            long revision = put("s/" + (i % 10), value + i);
            firstRevision = firstRevision == 0 ? revision : firstRevision;
        }
        await("the live watcher's events", () -> live.events().size() == writes);
        assertThat(stalled.snapshot()).hasSize(1);

        stalled.readAll();
        await("the stalled watcher catches up", () -> stalled.events().size() == writes);
        List<Event> events = stalled.events();
        for (int i = 0; i < writes; i++) {
            assertThat(events.get(i).getKv().getModRevision()).isEqualTo(firstRevision + i);
        }
    }

    @Test
    void stoppingTheServerEndsOpenWatchStreamsPromptly() {
        Recorder recorder = new Recorder(false);
        WatchGrpc.newStub(channel).watch(recorder).onNext(watchPrefix("p/", 0));
        await("created", () -> recorder.snapshot().size() == 1);
        long started = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GrpcFrontEnd.SHUTDOWN_GRACE);
        await("the stream ends", () -> recorder.error.get() != null);
        assertThat(Status.fromThrowable(recorder.error.get()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
}
