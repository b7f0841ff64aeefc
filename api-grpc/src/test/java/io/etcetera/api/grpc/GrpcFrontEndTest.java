package io.etcetera.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.api.grpc.pb.ClusterGrpc;
import io.etcetera.api.grpc.pb.MaintenanceGrpc;
import io.etcetera.api.grpc.pb.KVGrpc;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.api.ApiFrontEndProvider;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.CompactionResponse;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.DefragmentRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.MemberAddRequest;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.ResponseOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.server.EtcdServices;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gRPC front end driven by a real grpc-java client over a Netty channel to its bound port. */
class GrpcFrontEndTest {
    private static final long MAX_REQUEST_BYTES = 1024;
    private static final ResponseHeader HEADER = ResponseHeader.newBuilder()
            .setClusterId(0xCAFE).setMemberId(0xBEEF).setRevision(42).setRaftTerm(3).build();

    private final RecordingKvService kv = new RecordingKvService();
    private ApiFrontEnd frontEnd;
    private ManagedChannel channel;
    private KVGrpc.KVBlockingStub client;

    @BeforeEach
    void start() throws IOException {
        frontEnd = startFrontEnd(List.of(URI.create("http://127.0.0.1:0")));
        channel = NettyChannelBuilder.forAddress(frontEnd.boundAddresses().get(0)).usePlaintext().build();
        client = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        frontEnd.close();
    }

    private ApiFrontEnd startFrontEnd(List<URI> listenUrls) throws IOException {
        EtcdServices services = TestServices.of(kv);
        ApiFrontEnd started = new GrpcFrontEndProvider().create(new ApiContext(services, listenUrls, MAX_REQUEST_BYTES));
        started.start();
        return started;
    }

    private static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static KeyValue keyValue(String key, String value) {
        return KeyValue.newBuilder().setKey(bytes(key)).setValue(bytes(value))
                .setCreateRevision(5).setModRevision(41).setVersion(7).setLease(99).build();
    }

    @Test
    void rangeRoundTripsEveryField() {
        RangeRequest request = RangeRequest.newBuilder().setKey(bytes("a")).setRangeEnd(bytes("b"))
                .setLimit(10).setRevision(40).setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setSortTarget(RangeRequest.SortTarget.MOD).setSerializable(true).setKeysOnly(true)
                .setMinModRevision(2).setMaxModRevision(39).setMinCreateRevision(1).setMaxCreateRevision(38).build();
        RangeResponse response = RangeResponse.newBuilder().setHeader(HEADER)
                .addKvs(keyValue("a1", "x")).addKvs(keyValue("a2", "y")).setMore(true).setCount(3).build();
        kv.answer(response);

        assertThat(client.range(request)).isEqualTo(response);
        assertThat(kv.requests()).containsExactly(request);
    }

    @Test
    void putRoundTripsEveryField() {
        PutRequest request = PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v")).setLease(99)
                .setPrevKv(true).setIgnoreValue(false).setIgnoreLease(true).build();
        PutResponse response = PutResponse.newBuilder().setHeader(HEADER).setPrevKv(keyValue("k", "old")).build();
        kv.answer(response);

        assertThat(client.put(request)).isEqualTo(response);
        assertThat(kv.requests()).containsExactly(request);
    }

    @Test
    void deleteRangeRoundTripsEveryField() {
        DeleteRangeRequest request = DeleteRangeRequest.newBuilder().setKey(bytes("a")).setRangeEnd(bytes("\0"))
                .setPrevKv(true).build();
        DeleteRangeResponse response = DeleteRangeResponse.newBuilder().setHeader(HEADER).setDeleted(2)
                .addPrevKvs(keyValue("a", "1")).addPrevKvs(keyValue("b", "2")).build();
        kv.answer(response);

        assertThat(client.deleteRange(request)).isEqualTo(response);
        assertThat(kv.requests()).containsExactly(request);
    }

    @Test
    void txnRoundTripsNestedOperations() {
        TxnRequest request = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bytes("k")).setResult(Compare.CompareResult.GREATER)
                        .setTarget(Compare.CompareTarget.MOD).setModRevision(7))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v"))))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("d"))))))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("k"))))
                .build();
        TxnResponse response = TxnResponse.newBuilder().setHeader(HEADER).setSucceeded(true)
                .addResponses(ResponseOp.newBuilder().setResponsePut(PutResponse.newBuilder().setHeader(HEADER)))
                .addResponses(ResponseOp.newBuilder().setResponseTxn(TxnResponse.newBuilder().setHeader(HEADER)
                        .addResponses(ResponseOp.newBuilder().setResponseDeleteRange(
                                DeleteRangeResponse.newBuilder().setHeader(HEADER).setDeleted(1)))))
                .build();
        kv.answer(response);

        assertThat(client.txn(request)).isEqualTo(response);
        assertThat(kv.requests()).containsExactly(request);
    }

    @Test
    void compactRoundTripsEveryField() {
        CompactionRequest request = CompactionRequest.newBuilder().setRevision(40).setPhysical(true).build();
        CompactionResponse response = CompactionResponse.newBuilder().setHeader(HEADER).build();
        kv.answer(response);

        assertThat(client.compact(request)).isEqualTo(response);
        assertThat(kv.requests()).containsExactly(request);
    }

    @ParameterizedTest
    @EnumSource(EtcdError.class)
    void etcdErrorReachesTheClientWithItsCodeAndExactMessage(EtcdError error) {
        kv.answerWith(() -> CompletableFuture.failedFuture(error.exception()));

        assertThatThrownBy(() -> client.range(RangeRequest.newBuilder().setKey(bytes("k")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode().value()).isEqualTo(error.code().value());
                    assertThat(e.getStatus().getDescription()).isEqualTo(error.message());
                });
    }

    @Test
    void compactedBecomesOutOfRangeWithEtcdsMessage() {
        kv.answerWith(() -> CompletableFuture.failedFuture(EtcdError.COMPACTED.exception()));

        assertThatThrownBy(() -> client.compact(CompactionRequest.newBuilder().setRevision(1).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("etcdserver: mvcc: required revision has been compacted");
                });
    }

    @Test
    void etcdErrorThrownInsteadOfReturnedIsMappedTheSameWay() {
        kv.answerWith(() -> {
            throw EtcdError.EMPTY_KEY.exception();
        });

        assertThatThrownBy(() -> client.put(PutRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: key is not provided");
                });
    }

    @Test
    void unexpectedFailureBecomesUnknownWithItsMessage() {
        kv.answerWith(() -> CompletableFuture.failedFuture(new IllegalStateException("backend closed")));

        assertThatThrownBy(() -> client.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("k")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).isEqualTo("backend closed");
                });
    }

    @Test
    void requestAboveMaxRequestBytesPlusOverheadIsRefusedBeforeTheService() {
        int limit = (int) MAX_REQUEST_BYTES + GrpcFrontEnd.GRPC_OVERHEAD_BYTES;
        PutRequest tooLarge = PutRequest.newBuilder().setKey(bytes("k"))
                .setValue(ByteString.copyFrom(new byte[limit])).build();

        assertThatThrownBy(() -> client.put(tooLarge))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(kv.requests()).isEmpty();
    }

    @Test
    void requestWithinTheOverheadAllowanceIsServed() {
        PutRequest large = PutRequest.newBuilder().setKey(bytes("k"))
                .setValue(ByteString.copyFrom(new byte[GrpcFrontEnd.GRPC_OVERHEAD_BYTES])).build();
        assertThat(large.getSerializedSize()).isGreaterThan((int) MAX_REQUEST_BYTES);
        PutResponse response = PutResponse.newBuilder().setHeader(HEADER).build();
        kv.answer(response);

        assertThat(client.put(large)).isEqualTo(response);
        assertThat(kv.requests()).containsExactly(large);
    }

    @Test
    void onlyRpcsWithAnImplementationAreServed() {
        assertThat(KVGrpc.SERVICE_NAME).isEqualTo("etcdserverpb.KV");
        ClusterGrpc.ClusterBlockingStub cluster = ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertThat(cluster.memberList(MemberListRequest.getDefaultInstance()))
                .isEqualTo(MemberListResponse.getDefaultInstance());
        // served: the test facade refuses it with etcd's error
        assertThatThrownBy(() -> cluster.memberAdd(MemberAddRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: not capable"));
        MaintenanceGrpc.MaintenanceBlockingStub maintenance = MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> maintenance.defragment(DefragmentRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void closeFreesThePort() throws IOException, InterruptedException {
        InetSocketAddress bound = frontEnd.boundAddresses().get(0);
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);

        frontEnd.close();

        assertThat(frontEnd.boundAddresses()).isEmpty();
        try (ServerSocket rebind = new ServerSocket(bound.getPort(), 50, bound.getAddress())) {
            assertThat(rebind.getLocalPort()).isEqualTo(bound.getPort());
        }
        frontEnd.close();
    }

    @Test
    void servesEveryListenUrlAndReportsBoundAddressesInOrder() throws IOException, InterruptedException {
        ApiFrontEnd twoUrls = startFrontEnd(List.of(URI.create("http://localhost:0"), URI.create("http://127.0.0.1:0")));
        try {
            List<InetSocketAddress> bound = twoUrls.boundAddresses();
            assertThat(bound).hasSize(2);
            assertThat(bound).allSatisfy(address -> {
                assertThat(address.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                assertThat(address.getPort()).isPositive();
            });
            PutResponse response = PutResponse.newBuilder().setHeader(HEADER).build();
            kv.answer(response);
            for (InetSocketAddress address : bound) {
                ManagedChannel each = NettyChannelBuilder.forAddress(address).usePlaintext().build();
                try {
                    assertThat(KVGrpc.newBlockingStub(each).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .put(PutRequest.newBuilder().setKey(bytes("k")).build())).isEqualTo(response);
                } finally {
                    each.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            twoUrls.close();
        }
    }

    @Test
    void unbindableUrlFailsStartAndLeavesNothingBound() {
        EtcdServices services = TestServices.of(kv);
        ApiFrontEnd badHost = new GrpcFrontEnd(new ApiContext(services,
                List.of(URI.create("http://127.0.0.1:0"), URI.create("http://example.com:0")), MAX_REQUEST_BYTES));

        assertThatThrownBy(badHost::start).isInstanceOf(IOException.class)
                .hasMessage("expected IP in URL for binding (http://example.com:0)");
        assertThat(badHost.boundAddresses()).isEmpty();
        badHost.close();
    }

    @Test
    void portInUseFailsStart() {
        EtcdServices services = TestServices.of(kv);
        int taken = frontEnd.boundAddresses().get(0).getPort();
        ApiFrontEnd clash = new GrpcFrontEnd(new ApiContext(services,
                List.of(URI.create("http://127.0.0.1:" + taken)), MAX_REQUEST_BYTES));

        assertThatThrownBy(clash::start).isInstanceOf(IOException.class);
        assertThat(clash.boundAddresses()).isEmpty();
        clash.close();
    }

    @Test
    void providerIsFoundByServiceLoaderUnderIdGrpc() {
        assertThat(ServiceLoader.load(ApiFrontEndProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(provider -> {
                    assertThat(provider.id()).isEqualTo("grpc");
                    assertThat(provider).isInstanceOf(GrpcFrontEndProvider.class);
                });
    }
}
