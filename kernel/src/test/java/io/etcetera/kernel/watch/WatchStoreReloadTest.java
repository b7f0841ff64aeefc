package io.etcetera.kernel.watch;

import static io.etcetera.kernel.watch.WatchHarness.create;
import static io.etcetera.kernel.watch.WatchHarness.watchKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.Eventually;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.snap.BackendDump;
import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.etcdserverpb.CompactionRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.storage.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower's store replaced by its leader's snapshot (etcd's {@code applySnapshot} then
 * {@code watchableStore.Restore}): synced watchers catch up from the new history, or are
 * canceled with its compact revision.
 */
class WatchStoreReloadTest {

    private final InMemoryBackend followerBackend = new InMemoryBackend();
    private final MvccStore follower = new MvccStore(followerBackend);
    private final InMemoryBackend leaderBackend = new InMemoryBackend();
    private final MvccStore leader = new MvccStore(leaderBackend);
    private final WatchServer server = new WatchServer(follower,
            revision -> ResponseHeader.newBuilder().setRevision(revision).build(), WatchOptions.defaults(1536 * 1024));
    private long leaderIndex;

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void aSyncedWatcherGetsTheEventsTheSnapshotBroughtThenLiveOnes() throws IOException {
        server.start();
        follower.put(put("a", "1"), 1);
        RecordingSink sink = new RecordingSink();
        server.open(sink).request(create(watchKey("a")));
        sink.awaitResponses(1);
        leaderPut("a", "1");
        leaderPut("a", "2");
        leaderPut("a", "3");

        install();
        follower.put(put("a", "4"), leaderIndex + 1);

        assertThat(sink.awaitEvents(0, 3)).extracting(event -> event.getKv().getValue().toStringUtf8())
                .containsExactly("2", "3", "4");
        assertThat(sink.events(0)).extracting(event -> event.getKv().getModRevision()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void aWatcherBehindTheSnapshotsCompactionIsCanceledWithTheCompactRevision() throws IOException {
        server.start();
        follower.put(put("a", "1"), 1);
        RecordingSink sink = new RecordingSink();
        server.open(sink).request(create(watchKey("a")));
        sink.awaitResponses(1);
        leaderPut("a", "1");
        leaderPut("a", "2");
        leaderPut("a", "3");
        leader.compact(CompactionRequest.newBuilder().setRevision(4).build(), ++leaderIndex);

        install();

        Eventually.await("a compacted response", () -> sink.responses().stream().anyMatch(r -> r.getCompactRevision() > 0));
        WatchResponse compacted = sink.responses().stream().filter(r -> r.getCompactRevision() > 0).findFirst().orElseThrow();
        assertThat(compacted.getCompactRevision()).isEqualTo(4);
        assertThat(compacted.getCanceled()).isTrue();
    }

    private void install() throws IOException {
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        try (Snapshot snapshot = leaderBackend.snapshot()) {
            BackendDump.write(snapshot, dump);
        }
        BackendDump.restore(followerBackend, new ByteArrayInputStream(dump.toByteArray()));
        follower.reload();
        server.storeReloaded();
        assertThat(follower.consistentIndex()).isEqualTo(leaderIndex);
    }

    private void leaderPut(String key, String value) {
        leader.put(put(key, value), ++leaderIndex);
    }

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(WatchHarness.bytes(key)).setValue(WatchHarness.bytes(value)).build();
    }
}
