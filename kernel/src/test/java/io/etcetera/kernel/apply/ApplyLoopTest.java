package io.etcetera.kernel.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.Eventually;
import io.etcetera.kernel.lease.LeaseApplier;
import io.etcetera.kernel.lease.LeaseClock;
import io.etcetera.kernel.lease.Lessor;
import io.etcetera.kernel.lease.LessorConfig;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.testing.InMemoryBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplyLoopTest {

    private final InMemoryBackend backend = new InMemoryBackend();
    private final Lessor lessor = Lessor.recover(backend, LessorConfig.defaults(), LeaseClock.SYSTEM);
    private final MvccStore mvcc = new MvccStore(backend, lessor);
    private final List<Long> applied = new ArrayList<>();
    private final AppliedIndex appliedIndex = new AppliedIndex(0);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final ApplyLoop loop = new ApplyLoop(new EntryApplier(mvcc, new LeaseApplier(lessor, mvcc), new Wait(),
            applied::add), appliedIndex, fatal::set);

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void aSnapshotInstallMovesTheAppliedIndexAndEntriesItCoversAreSkipped() throws Exception {
        loop.start();
        loop.submit(emptyEntries(1, 2));
        List<Long> installs = new ArrayList<>();
        // the leader's dump was taken at consistent index 8, after the raft snapshot at 5
        loop.submitInstall(5, snapshotIndex -> {
            installs.add(snapshotIndex);
            return 8;
        });
        loop.submit(emptyEntries(6, 10));

        appliedIndex.await(10).get(5, TimeUnit.SECONDS);
        assertThat(installs).containsExactly(5L);
        assertThat(applied).containsExactly(1L, 2L, 9L, 10L);
        assertThat(mvcc.consistentIndex()).isEqualTo(10);
        assertThat(fatal.get()).isNull();
    }

    @Test
    void aGapAfterTheAppliedIndexStopsTheLoop() throws Exception {
        loop.start();
        loop.submit(emptyEntries(1, 1));
        loop.submit(emptyEntries(3, 3));

        Eventually.await("the apply loop stopped on a gap", () -> fatal.get() != null);
        assertThat(fatal.get()).hasMessageContaining("expected entry 2 but got 3");
        assertThat(appliedIndex.get()).isEqualTo(1);
    }

    @Test
    void continuationsRunInlineOnlyForTheLastQueuedEntry() throws Exception {
        List<String> ranWhere = new ArrayList<>();
        AtomicReference<Executor> executor = new AtomicReference<>();
        Executor delegate = task -> ranWhere.add("delegate");
        ApplyLoop inlining = new ApplyLoop(new EntryApplier(mvcc, new LeaseApplier(lessor, mvcc), new Wait(),
                index -> executor.get().execute(() -> ranWhere.add("inline " + index))), appliedIndex, fatal::set);
        executor.set(inlining.inlineWhenIdle(delegate));
        try {
            inlining.start();
            inlining.submit(emptyEntries(1, 3));
            appliedIndex.await(3).get(5, TimeUnit.SECONDS);

            // entries 1 and 2 had an entry behind them; 3 was the last one queued
            assertThat(ranWhere).containsExactly("delegate", "delegate", "inline 3");
            executor.get().execute(() -> ranWhere.add("inline from the test thread"));
            assertThat(ranWhere).last().isEqualTo("delegate");
            assertThat(fatal.get()).isNull();
        } finally {
            inlining.close();
        }
    }

    private static List<Entry> emptyEntries(long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(i -> Entry.newBuilder().setTerm(1).setIndex(i).setType(EntryType.EntryNormal).build())
                .toList();
    }
}
