package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link GrpcFrontEnd#close()}: open calls get a bounded grace, then are cancelled. */
class GrpcFrontEndShutdownTest {
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(10);

    private final RecordingKvService kv = new RecordingKvService();
    private final CountDownLatch callArrived = new CountDownLatch(1);
    private final CompletableFuture<PutResponse> pendingAnswer = new CompletableFuture<>();
    private ManagedChannel channel;

    @AfterEach
    void stopClient() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(WAIT_LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private GrpcFrontEnd startWithOneOpenCall(Duration shutdownGrace, CompletableFuture<?>[] call)
            throws IOException, InterruptedException {
        kv.answerWith(() -> {
            callArrived.countDown();
            return pendingAnswer;
        });
        GrpcFrontEnd frontEnd = new GrpcFrontEnd(
                new ApiContext(TestServices.of(kv), List.of(URI.create("http://127.0.0.1:0")), 1024), shutdownGrace);
        frontEnd.start();
        channel = NettyChannelBuilder.forAddress(frontEnd.boundAddresses().get(0)).usePlaintext().build();
        ListenableFuture<PutResponse> put = KVGrpc.newFutureStub(channel)
                .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
        CompletableFuture<PutResponse> bridged = new CompletableFuture<>();
        put.addListener(() -> {
            try {
                bridged.complete(put.get());
            } catch (ExecutionException e) {
                bridged.completeExceptionally(e.getCause());
            } catch (InterruptedException e) {
                bridged.completeExceptionally(e);
            }
        }, Runnable::run);
        call[0] = bridged;
        assertThat(callArrived.await(WAIT_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return frontEnd;
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void openCallFinishesAfterClosingHasFreedThePort() throws Exception {
        CompletableFuture<?>[] call = new CompletableFuture<?>[1];
        GrpcFrontEnd frontEnd = startWithOneOpenCall(Duration.ofSeconds(30), call);
        InetSocketAddress bound = frontEnd.boundAddresses().get(0);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(frontEnd::close);
        long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
        while (accepts(bound)) {
            assertThat(System.nanoTime()).as("port still accepting after close began").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(closing).isNotDone();

        PutResponse response = PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(2)).build();
        pendingAnswer.complete(response);

        assertThat(call[0].get(WAIT_LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(response);
        closing.get(WAIT_LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void callStillOpenAfterTheGraceIsCancelled() throws Exception {
        CompletableFuture<?>[] call = new CompletableFuture<?>[1];
        GrpcFrontEnd frontEnd = startWithOneOpenCall(Duration.ofMillis(100), call);

        long started = System.nanoTime();
        frontEnd.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - started);

        assertThat(closeTook).isLessThan(GrpcFrontEnd.SHUTDOWN_GRACE);
        assertThatThrownBy(() -> call[0].get(WAIT_LIMIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
                        .isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE));
    }
}
