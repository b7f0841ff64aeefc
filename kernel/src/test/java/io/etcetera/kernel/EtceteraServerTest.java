package io.etcetera.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.plugin.PluginRegistry;
import io.etcetera.kernel.server.MemberIdentity;
import io.etcetera.kernel.wal.FileSync;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.api.ApiFrontEndProvider;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.storage.BackendProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server end to end, in process, through {@link KvService} on the RocksDB backend. */
class EtceteraServerTest {

    private static final long DEFAULT_MEMBER_ID = 0x8e9e05c52164694dL;
    private static final long DEFAULT_CLUSTER_ID = 0xcdf818194e3a8c32L;

    @TempDir
    Path dataDir;

    private final List<EtceteraServer> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(EtceteraServer::close);
    }

    private ServerConfig config(List<String> frontEnds, String backend) {
        return new ServerConfig("default", dataDir, List.of(URI.create("http://127.0.0.1:0")),
                List.of(URI.create("http://localhost:2379")), List.of(URI.create("http://localhost:2380")),
                "etcd-cluster", ServerConfig.DEFAULT_MAX_TXN_OPS, ServerConfig.DEFAULT_MAX_REQUEST_BYTES, backend,
                frontEnds);
    }

    private EtceteraServer start() throws IOException {
        EtceteraServer server = EtceteraServer.start(config(List.of(), "rocksdb"));
        started.add(server);
        return server;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(Eventually.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static PutResponse put(KvService kv, String key, String value) throws Exception {
        return get(kv.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build()));
    }

    private static RangeResponse range(KvService kv, String key, boolean serializable) throws Exception {
        return get(kv.range(RangeRequest.newBuilder().setKey(bytes(key)).setSerializable(serializable).build()));
    }

    private static void assertHeader(ResponseHeader header, long revision, long term) {
        assertThat(header.getClusterId()).isEqualTo(DEFAULT_CLUSTER_ID);
        assertThat(header.getMemberId()).isEqualTo(DEFAULT_MEMBER_ID);
        assertThat(header.getRaftTerm()).isEqualTo(term);
        assertThat(header.getRevision()).isEqualTo(revision);
    }

    @Test
    void putGetTxnDeleteAndCompactWithEtcdHeaders() throws Exception {
        KvService kv = start().services().kv();

        assertHeader(put(kv, "foo", "bar").getHeader(), 2, 2);
        PutResponse second = get(kv.put(PutRequest.newBuilder().setKey(bytes("foo")).setValue(bytes("baz"))
                .setPrevKv(true).build()));
        assertHeader(second.getHeader(), 3, 2);
        assertThat(second.getPrevKv().getValue().toStringUtf8()).isEqualTo("bar");

        RangeResponse linearizable = range(kv, "foo", false);
        assertHeader(linearizable.getHeader(), 3, 2);
        assertThat(linearizable.getKvsList()).singleElement().satisfies(kv1 -> {
            assertThat(kv1.getValue().toStringUtf8()).isEqualTo("baz");
            assertThat(kv1.getCreateRevision()).isEqualTo(2);
            assertThat(kv1.getModRevision()).isEqualTo(3);
            assertThat(kv1.getVersion()).isEqualTo(2);
        });
        assertHeader(range(kv, "foo", true).getHeader(), 3, 2);

        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bytes("foo")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(bytes("baz")))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("1"))))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("foo"))))
                .build();
        TxnResponse txnResponse = get(kv.txn(txn));
        assertThat(txnResponse.getSucceeded()).isTrue();
        assertHeader(txnResponse.getHeader(), 4, 2);
        ResponseHeader nested = txnResponse.getResponses(1).getResponseRange().getHeader();
        assertThat(nested.getClusterId()).as("only the top-level header is stamped, as in etcd").isZero();
        assertThat(nested.getMemberId()).isZero();

        TxnResponse readOnly = get(kv.txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("a"))))
                .build()));
        assertHeader(readOnly.getHeader(), 4, 2);
        assertThat(readOnly.getResponses(0).getResponseRange().getKvs(0).getValue().toStringUtf8()).isEqualTo("1");

        DeleteRangeResponse deleted = get(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("a")).build()));
        assertThat(deleted.getDeleted()).isEqualTo(1);
        assertHeader(deleted.getHeader(), 5, 2);

        assertHeader(get(kv.compact(CompactionRequest.newBuilder().setRevision(3).build())).getHeader(), 5, 2);
        assertEtcdError(kv.range(RangeRequest.newBuilder().setKey(bytes("foo")).setRevision(2).build()), EtcdError.COMPACTED);
        assertEtcdError(kv.range(RangeRequest.newBuilder().setKey(bytes("foo")).setRevision(99).build()), EtcdError.FUTURE_REV);
    }

    @Test
    void requestsFailingValidationNeverReachTheLog() throws Exception {
        KvService kv = start().services().kv();

        assertEtcdError(kv.put(PutRequest.newBuilder().setValue(bytes("v")).build()), EtcdError.EMPTY_KEY);
        assertEtcdError(kv.range(RangeRequest.getDefaultInstance()), EtcdError.EMPTY_KEY);
        assertEtcdError(kv.deleteRange(DeleteRangeRequest.getDefaultInstance()), EtcdError.EMPTY_KEY);
        RequestOp samePut = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("k"))).build();
        assertEtcdError(kv.txn(TxnRequest.newBuilder().addSuccess(samePut).addSuccess(samePut).build()),
                EtcdError.DUPLICATE_KEY);
        ByteString large = ByteString.copyFrom(new byte[(int) ServerConfig.DEFAULT_MAX_REQUEST_BYTES]);
        assertEtcdError(kv.put(PutRequest.newBuilder().setKey(bytes("big")).setValue(large).build()),
                EtcdError.REQUEST_TOO_LARGE);

        assertThat(range(kv, "k", false).getHeader().getRevision()).isEqualTo(1);
    }

    @Test
    void aFailedApplyFailsOnlyThatRequest() throws Exception {
        KvService kv = start().services().kv();

        assertEtcdError(kv.put(PutRequest.newBuilder().setKey(bytes("k")).setLease(42).build()), EtcdError.LEASE_NOT_FOUND);

        assertThat(put(kv, "k", "v").getHeader().getRevision()).isEqualTo(2);
    }

    @Test
    void concurrentWritesAreAllAppliedWithDistinctRevisions() throws Exception {
        KvService kv = start().services().kv();
        List<CompletableFuture<PutResponse>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            puts.add(kv.put(PutRequest.newBuilder().setKey(bytes("k" + i)).setValue(bytes("v" + i)).build()));
        }

        List<Long> revisions = new ArrayList<>();
        for (CompletableFuture<PutResponse> put : puts) {
            revisions.add(get(put).getHeader().getRevision());
        }

        assertThat(revisions).doesNotHaveDuplicates().allMatch(r -> r >= 2 && r <= 201);
        assertThat(range(kv, "k199", false).getKvs(0).getValue().toStringUtf8()).isEqualTo("v199");
    }

    @Test
    void acknowledgedWritesSurviveARestartWithTheirRevisionsAndTheTermGrows() throws Exception {
        EtceteraServer first = start();
        KvService kv = first.services().kv();
        put(kv, "a", "1");
        put(kv, "b", "2");
        put(kv, "a", "3");
        first.close();

        EtceteraServer second = start();
        RangeResponse a = range(second.services().kv(), "a", false);

        assertHeader(a.getHeader(), 4, 3);
        assertThat(a.getKvs(0).getValue().toStringUtf8()).isEqualTo("3");
        assertThat(a.getKvs(0).getCreateRevision()).isEqualTo(2);
        assertThat(a.getKvs(0).getModRevision()).isEqualTo(4);
        assertThat(a.getKvs(0).getVersion()).isEqualTo(2);
        assertThat(put(second.services().kv(), "c", "4").getHeader().getRevision()).isEqualTo(5);
    }

    @Test
    void entriesTheBackendMissesAreReplayedFromTheWal() throws Exception {
        EtceteraServer first = start();
        put(first.services().kv(), "a", "1");
        first.close();
        Path backendCopy = dataDir.resolveSibling(dataDir.getFileName() + "-backend-copy");
        copyTree(dataDir.resolve("member/backend"), backendCopy);

        EtceteraServer second = start();
        put(second.services().kv(), "b", "2");
        put(second.services().kv(), "a", "3");
        second.close();
        // The backend now is behind the WAL: its consistent index predates the last two writes.
        deleteTree(dataDir.resolve("member/backend"));
        copyTree(backendCopy, dataDir.resolve("member/backend"));
        deleteTree(backendCopy);

        EtceteraServer third = start();
        KvService kv = third.services().kv();

        RangeResponse a = range(kv, "a", true);
        assertThat(a.getKvs(0).getValue().toStringUtf8()).isEqualTo("3");
        assertThat(a.getKvs(0).getModRevision()).isEqualTo(4);
        RangeResponse b = range(kv, "b", true);
        assertThat(b.getKvs(0).getModRevision()).isEqualTo(3);
        assertThat(b.getHeader().getRaftTerm()).isEqualTo(4);
    }

    @Test
    void aDataDirWrittenByAnotherEngineIsRefusedWithTheWayOut() throws Exception {
        Files.createDirectories(dataDir.resolve("member/backend"));
        Files.writeString(dataDir.resolve("member/backend/storage-backend"), "lmdb\n");

        assertThatThrownBy(this::start)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("was written by storage backend 'lmdb' but --storage-backend is 'rocksdb'; "
                        + "start with --storage-backend lmdb, or migrate with snapshot save/restore");
        assertThat(Files.readString(dataDir.resolve("member/backend/storage-backend"))).isEqualTo("lmdb\n");
    }

    @Test
    void theDataDirHasEtcdsLayoutAndNamesItsEngine() throws Exception {
        start().close();

        assertThat(dataDir.resolve("member/wal")).isDirectory();
        assertThat(dataDir.resolve("member/snap")).isDirectory();
        assertThat(Files.readString(dataDir.resolve("member/backend/storage-backend"))).isEqualTo("rocksdb\n");
        try (Stream<Path> wal = Files.list(dataDir.resolve("member/wal"))) {
            assertThat(wal.map(p -> p.getFileName().toString())).contains("0000000000000000-0000000000000000.wal");
        }
    }

    @Test
    void anUnknownStorageBackendIsRefusedBeforeTouchingTheDisk() {
        assertThatThrownBy(() -> EtceteraServer.start(config(List.of(), "nosuchdb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown storage backend 'nosuchdb'")
                .hasMessageContaining("rocksdb");
        assertThat(dataDir.resolve("member")).doesNotExist();
    }

    @Test
    void aSecondServerOnTheSameDataDirIsRefused() throws Exception {
        start();

        assertThatThrownBy(this::start)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is in use by another member");
    }

    @Test
    void closeIsIdempotentReleasesAwaitTerminationAndStopsServing() throws Exception {
        EtceteraServer server = start();
        KvService kv = server.services().kv();

        server.close();
        server.close();
        server.awaitTermination();

        assertEtcdError(kv.put(PutRequest.newBuilder().setKey(bytes("k")).build()), EtcdError.STOPPED);
        assertThat(server.failure()).isNull();
    }

    @Test
    void configuredFrontEndsGetTheServicesAndListenUrlsAndAreClosedWithTheServer() throws Exception {
        RecordingFrontEndProvider frontEnds = new RecordingFrontEndProvider();
        PluginRegistry plugins = new PluginRegistry(ServiceLoader.load(BackendProvider.class), List.of(frontEnds));
        EtceteraServer server = EtceteraServer.start(config(List.of("recording"), "rocksdb"), plugins, Wal.Options.defaults());
        started.add(server);

        RecordingFrontEnd frontEnd = frontEnds.created.get(0);
        assertThat(frontEnd.started).isTrue();
        assertThat(frontEnd.context.listenUrls()).containsExactly(URI.create("http://127.0.0.1:0"));
        assertThat(frontEnd.context.maxRequestBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
        assertThat(server.clientAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", 23790));
        PutResponse put = get(frontEnd.context.services().kv().put(
                PutRequest.newBuilder().setKey(bytes("via")).setValue(bytes("front end")).build()));
        assertThat(put.getHeader().getMemberId()).isEqualTo(DEFAULT_MEMBER_ID);

        server.close();
        assertThat(frontEnd.closed).isTrue();
        assertThat(MemberIdentity.toHex(put.getHeader().getClusterId())).isEqualTo("cdf818194e3a8c32");
    }

    @Test
    void aWalFailureStopsTheServerAndFailsWaitingRequests() throws Exception {
        FailingFileSync fileSync = new FailingFileSync();
        EtceteraServer server = EtceteraServer.start(config(List.of(), "rocksdb"), PluginRegistry.load(),
                new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, fileSync));
        started.add(server);
        KvService kv = server.services().kv();
        put(kv, "before", "ok");

        fileSync.failing = true;
        CompletableFuture<PutResponse> lost = kv.put(PutRequest.newBuilder().setKey(bytes("after")).build());

        assertEtcdError(lost, EtcdError.STOPPED);
        server.awaitTermination();
        assertThat(server.failure()).isInstanceOf(IOException.class).hasMessage("disk on fire");
        assertEtcdError(kv.put(PutRequest.newBuilder().setKey(bytes("later")).build()), EtcdError.STOPPED);
    }

    private static void assertEtcdError(CompletableFuture<?> future, EtcdError error) {
        assertThatThrownBy(() -> get(future))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(EtcdException.class)
                .hasMessage(error.message());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Files.copy(source, to.resolve(from.relativize(source).toString()));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted((x, y) -> y.compareTo(x)).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Real fsyncs until told to fail. */
    static final class FailingFileSync implements FileSync {
        volatile boolean failing;

        @Override
        public void syncFile(FileChannel channel) throws IOException {
            if (failing) {
                throw new IOException("disk on fire");
            }
            FSYNC.syncFile(channel);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            FSYNC.syncDirectory(directory);
        }
    }

    static final class RecordingFrontEndProvider implements ApiFrontEndProvider {
        final List<RecordingFrontEnd> created = new ArrayList<>();

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public ApiFrontEnd create(ApiContext context) {
            RecordingFrontEnd frontEnd = new RecordingFrontEnd(context);
            created.add(frontEnd);
            return frontEnd;
        }
    }

    static final class RecordingFrontEnd implements ApiFrontEnd {
        final ApiContext context;
        volatile boolean started;
        volatile boolean closed;

        RecordingFrontEnd(ApiContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public List<InetSocketAddress> boundAddresses() {
            return List.of(new InetSocketAddress("127.0.0.1", 23790));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
