package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.Eventually;
import io.etcetera.kernel.ServerConfig;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.raft.RaftConfig;
import io.etcetera.kernel.raft.RaftNode;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.wal.CountingFileSync;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.error.EtcdException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Raft loop's durability contract and its group commit, with fsyncs counted by a hook. */
class RaftLoopTest {

    private static final Duration DEADLINE = Eventually.DEADLINE;

    @TempDir
    Path dir;

    private final CountingFileSync sync = new CountingFileSync();
    private final List<Entry> applied = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final Wait wait = new Wait();
    private RaftLoop loop;
    private Wal wal;

    private RaftLoop startLoop() throws Exception {
        wal = Wal.create(dir, new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, sync));
        RaftNode node = RaftNode.bootstrap(new RaftConfig(1, 10, 7));
        loop = new RaftLoop(node, wal, applied::addAll, wait, ServerConfig.DEFAULT_HEARTBEAT_INTERVAL_MS, () -> { }, fatal::set);
        loop.start();
        loop.leaderKnown().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        long first = loop.leaderEmptyEntryIndex();
        Eventually.await("leader entry applied", () -> appliedUpTo() >= first);
        return loop;
    }

    @AfterEach
    void stop() throws Exception {
        if (loop != null) {
            loop.close();
        }
        if (wal != null) {
            wal.close();
        }
        assertThat(fatal.get()).isNull();
    }

    @Test
    void concurrentProposalsShareOneFsync() throws Exception {
        startLoop();
        int proposals = 16;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstSyncHeld = sync.holdNextSync(release);
        int syncsBefore = sync.fileSyncs();

        loop.propose(1, bytes("p1"));
        assertThat(firstSyncHeld.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // While the first proposal's fsync is in progress the others queue up behind it.
        for (int id = 2; id <= proposals; id++) {
            loop.propose(id, bytes("p" + id));
        }
        Eventually.await("proposals queued", () -> loop.pendingProposals() == proposals - 1);
        assertThat(appliedData()).as("nothing is applied before its fsync").doesNotContain("p1");
        release.countDown();

        Eventually.await("all proposals applied", () -> appliedData().contains("p" + proposals));
        assertThat(sync.fileSyncs() - syncsBefore).as("fsyncs for " + proposals + " proposals").isEqualTo(2);
        assertThat(appliedData()).containsSubsequence("p1", "p2", "p" + proposals);
    }

    @Test
    void everyEntryIsInTheWalBeforeItIsApplied() throws Exception {
        startLoop();
        for (int id = 1; id <= 5; id++) {
            loop.propose(id, bytes("w" + id));
        }
        Eventually.await("w5 applied", () -> appliedData().contains("w5"));
        loop.close();
        wal.close();

        Wal.Recovered recovered = Wal.open(dir, 0, new Wal.Options(Wal.DEFAULT_SEGMENT_SIZE_BYTES, sync));
        recovered.wal().close();
        assertThat(recovered.entries()).containsAll(applied);
        assertThat(recovered.hardState().getTerm()).isEqualTo(2);
    }

    @Test
    void proposalsAfterCloseFailWithServerStopped() throws Exception {
        startLoop();
        loop.close();

        assertThatThrownBy(() -> loop.propose(99, bytes("late")))
                .isInstanceOf(EtcdException.class)
                .hasMessage("etcdserver: server stopped");
    }

    private long appliedUpTo() {
        return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).getIndex();
    }

    private List<String> appliedData() {
        return applied.stream().map(e -> e.getData().toStringUtf8()).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
