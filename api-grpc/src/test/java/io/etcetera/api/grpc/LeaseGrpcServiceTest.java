package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.api.grpc.pb.LeaseGrpc;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseLeasesRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseStatus;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** etcd's Lease service on the gRPC front end, driven by a real grpc-java client. */
class LeaseGrpcServiceTest {
    private static final long DEADLINE_SECONDS = 10;

    private final MapLeaseService leases = new MapLeaseService();
    private ApiFrontEnd frontEnd;
    private ManagedChannel channel;
    private LeaseGrpc.LeaseBlockingStub client;

    @BeforeEach
    void start() throws IOException {
        frontEnd = new GrpcFrontEndProvider().create(new ApiContext(TestServices.of(new RecordingKvService(), leases),
                List.of(URI.create("http://127.0.0.1:0")), 1024));
        frontEnd.start();
        channel = NettyChannelBuilder.forAddress(frontEnd.boundAddresses().get(0)).usePlaintext().build();
        client = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS);
        frontEnd.close();
    }

    /** What a client's keep-alive stream received: responses, then completion or an error. */
    private static final class Received implements StreamObserver<LeaseKeepAliveResponse> {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onNext(LeaseKeepAliveResponse response) {
            events.add(response);
        }

        @Override
        public void onError(Throwable t) {
            events.add(t);
        }

        @Override
        public void onCompleted() {
            events.add("completed");
        }

        Object next() throws InterruptedException {
            Object event = events.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("a stream event within " + DEADLINE_SECONDS + " s").isNotNull();
            return event;
        }
    }

    private static LeaseKeepAliveRequest keepAlive(long id) {
        return LeaseKeepAliveRequest.newBuilder().setID(id).build();
    }

    @Test
    void unaryLeaseCallsRoundTrip() {
        LeaseGrantResponse granted = client.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build());
        assertThat(granted.getID()).isEqualTo(MapLeaseService.FIRST_ID);
        assertThat(granted.getTTL()).isEqualTo(30);
        assertThat(granted.getHeader()).isEqualTo(MapLeaseService.HEADER);
        leases.attach(granted.getID(), "k");

        LeaseTimeToLiveResponse ttl = client.leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(granted.getID()).setKeys(true).build());
        assertThat(ttl.getGrantedTTL()).isEqualTo(30);
        assertThat(ttl.getKeysList()).extracting(k -> k.toStringUtf8()).containsExactly("k");
        assertThat(client.leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList())
                .extracting(LeaseStatus::getID).containsExactly(granted.getID());

        client.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(granted.getID()).build());
        assertThat(client.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(granted.getID()).build()).getTTL())
                .isEqualTo(-1);
    }

    @Test
    void leaseErrorsCarryEtcdsCodeAndMessage() {
        assertThatThrownBy(() -> client.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo(EtcdError.LEASE_NOT_FOUND.message());
                });
        client.leaseGrant(LeaseGrantRequest.newBuilder().setID(5).setTTL(10).build());
        assertThatThrownBy(() -> client.leaseGrant(LeaseGrantRequest.newBuilder().setID(5).setTTL(10).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).isEqualTo(EtcdError.LEASE_EXIST.message());
                });
    }

    @Test
    void eachKeepAliveRequestIsAnsweredInOrderAndUnknownLeasesGetTtlZero() throws Exception {
        client.leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(10).build());
        Received received = new Received();
        StreamObserver<LeaseKeepAliveRequest> stream = LeaseGrpc.newStub(channel).leaseKeepAlive(received);

        stream.onNext(keepAlive(7));
        stream.onNext(keepAlive(8));
        stream.onNext(keepAlive(7));
        stream.onCompleted();

        assertThat(received.next()).isEqualTo(LeaseKeepAliveResponse.newBuilder()
                .setHeader(MapLeaseService.HEADER).setID(7).setTTL(10).build());
        assertThat(((LeaseKeepAliveResponse) received.next()).getTTL()).isZero();
        assertThat(((LeaseKeepAliveResponse) received.next()).getID()).isEqualTo(7);
        assertThat(received.next()).isEqualTo("completed");
        assertThat(leases.keepAlives()).extracting(LeaseKeepAliveRequest::getID).containsExactly(7L, 8L, 7L);
    }

    @Test
    void theNextKeepAliveIsReadOnlyOnceThePreviousIsAnswered() throws Exception {
        CompletableFuture<LeaseKeepAliveResponse> slow = new CompletableFuture<>();
        leases.keepAliveWith(request -> request.getID() == 1 ? slow
                : CompletableFuture.completedFuture(LeaseKeepAliveResponse.newBuilder().setID(request.getID()).setTTL(9).build()));
        Received received = new Received();
        StreamObserver<LeaseKeepAliveRequest> stream = LeaseGrpc.newStub(channel).leaseKeepAlive(received);

        stream.onNext(keepAlive(1));
        stream.onNext(keepAlive(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (leases.keepAlives().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(leases.keepAlives()).extracting(LeaseKeepAliveRequest::getID).containsExactly(1L);

        slow.complete(LeaseKeepAliveResponse.newBuilder().setID(1).setTTL(5).build());

        assertThat(((LeaseKeepAliveResponse) received.next()).getID()).isEqualTo(1);
        assertThat(((LeaseKeepAliveResponse) received.next()).getID()).isEqualTo(2);
        stream.onCompleted();
        assertThat(received.next()).isEqualTo("completed");
    }

    @Test
    void aKeepAliveFailureEndsTheStreamWithEtcdsStatus() throws Exception {
        leases.keepAliveWith(request -> CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception()));
        Received received = new Received();
        StreamObserver<LeaseKeepAliveRequest> stream = LeaseGrpc.newStub(channel).leaseKeepAlive(received);

        stream.onNext(keepAlive(1));

        assertThat(received.next()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: not leader");
        });
    }
}
