package io.etcetera.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.wal.FileSync;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down while the leader compacted its log past the follower's last entry
 * catches up by snapshot (etcd's {@code MsgSnap} with the backend), not by entries; it then
 * replicates normally and restarts from the installed snapshot.
 */
class SnapshotCatchUpTest {

    private static final long DEADLINE_MS = 30_000;
    private static final ServerConfig.Snapshots SMALL = new ServerConfig.Snapshots(50, 20, 3, 5);
    private static final int KEYS_WHILE_AWAY = 300;

    @TempDir
    Path root;

    private final List<EtceteraServer> servers = new ArrayList<>();
    private final List<ServerConfig> configs = new ArrayList<>();

    @AfterEach
    void closeAll() {
        servers.forEach(EtceteraServer::close);
    }

    @Test
    void aFollowerBehindTheCompactedLogCatchesUpBySnapshotAndRestartsFromIt() throws Exception {
        startCluster(3);
        EtceteraServer leader = leader();
        put(leader, "before", "stop");
        int followerIndex = servers.indexOf(servers.stream().filter(s -> s != leader).findFirst().orElseThrow());
        EtceteraServer follower = servers.get(followerIndex);
        follower.close();

        for (int i = 0; i < KEYS_WHILE_AWAY; i++) {
            put(leader, String.format("key-%04d", i), "value-" + i);
        }
        EtceteraServer restarted = EtceteraServer.start(configs.get(followerIndex));
        servers.set(followerIndex, restarted);

        RangeResponse expected = rangeAll(leader);
        assertThat(expected.getCount()).isEqualTo(KEYS_WHILE_AWAY + 1);
        assertThat(rangeAll(restarted).getKvsList()).isEqualTo(expected.getKvsList());
        assertThat(rangeAll(restarted).getHeader().getRevision()).isEqualTo(expected.getHeader().getRevision());

        put(leader, "after", "install");
        assertThat(get(restarted, "after")).isEqualTo("install");

        restarted.close();
        Path memberDir = configs.get(followerIndex).dataDir().resolve("member");
        assertThat(firstWalEntryIndex(memberDir.resolve("wal")))
                .as("the follower's WAL continues after the snapshot, without the entries it missed")
                .isGreaterThan(KEYS_WHILE_AWAY);
        assertThat(snapFiles(memberDir.resolve("snap"))).isNotEmpty().hasSizeLessThanOrEqualTo(SMALL.maxSnapshots());

        EtceteraServer again = EtceteraServer.start(configs.get(followerIndex));
        servers.set(followerIndex, again);
        assertThat(get(again, "key-0000")).isEqualTo("value-0");
        put(again, "from", "the restarted follower");
        assertThat(get(leader, "from")).isEqualTo("the restarted follower");
        assertThat(rangeAll(again).getKvsList()).isEqualTo(rangeAll(leader).getKvsList());
    }

    private EtceteraServer leader() {
        Eventually.await("a leader", () -> servers.stream().anyMatch(s -> s.leaderId() == s.memberId()));
        return servers.stream().filter(s -> s.leaderId() == s.memberId()).findFirst().orElseThrow();
    }

    private static long firstWalEntryIndex(Path walDir) throws IOException {
        Wal.Recovered recovered = Wal.open(walDir, 0, new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, FileSync.FSYNC));
        try {
            List<Entry> entries = recovered.entries();
            return entries.isEmpty() ? recovered.lastIndex() + 1 : entries.get(0).getIndex();
        } finally {
            recovered.wal().close();
        }
    }

    private static List<Path> snapFiles(Path snapDir) throws IOException {
        try (Stream<Path> files = Files.list(snapDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".snap")).toList();
        }
    }

    private void startCluster(int size) throws Exception {
        Map<String, List<URI>> initialCluster = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            initialCluster.put("n" + i, List.of(URI.create("http://127.0.0.1:" + freePort())));
        }
        initialCluster.forEach((name, peerUrls) -> configs.add(new ServerConfig(name, root.resolve(name),
                List.of(URI.create("http://127.0.0.1:0")), List.of(URI.create("http://127.0.0.1:0")),
                peerUrls, "snapshot-test", ServerConfig.DEFAULT_MAX_TXN_OPS,
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES, "rocksdb", List.of(), initialCluster, peerUrls,
                ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, ServerConfig.DEFAULT_ELECTION_TIMEOUT_MS)
                .withSnapshots(SMALL)));
        ClusterStart.startTogether(configs, servers, DEADLINE_MS);
    }

    private static void put(EtceteraServer server, String key, String value) throws Exception {
        server.services().kv().put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build())
                .get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private static String get(EtceteraServer server, String key) throws Exception {
        RangeResponse response = server.services().kv().range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).build()).get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        return response.getKvsCount() == 0 ? null : response.getKvs(0).getValue().toStringUtf8();
    }

    /** Every key, read linearizably: the member has applied all the leader committed before. */
    private static RangeResponse rangeAll(EtceteraServer server) throws Exception {
        return server.services().kv().range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0})).build())
                .get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
