package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.bytes;
import static io.etcetera.kernel.mvcc.AppliedStore.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortOrder;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortTarget;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.WriteBatch;
import org.junit.jupiter.api.Test;

class MvccStoreRecoveryTest {

    private final AppliedStore kv = new AppliedStore(new io.etcetera.kernel.testing.InMemoryBackend(), id -> true);

    private void writeHistory() {
        kv.put("a", "1");                    // 2
        kv.put("b", "1");                    // 3
        kv.put("a", "2");                    // 4
        kv.delete("b");                      // 5
        kv.put(PutRequest.newBuilder().setKey(bytes("c")).setValue(bytes("1")).setLease(9).build()); // 6
        kv.put("b", "again");                // 7
        kv.delete("absent");                 // no revision
    }

    private static RangeRequest everything(long revision) {
        return AppliedStore.all(RangeRequest.newBuilder()).setRevision(revision)
                .setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.MOD).build();
    }

    @Test
    void reopenedStoreHasTheSameRevisionsIndexAndData() {
        writeHistory();

        AppliedStore reopened = kv.reopen();

        assertThat(reopened.store.currentRevision()).isEqualTo(7);
        assertThat(reopened.store.consistentIndex()).isEqualTo(7);
        assertThat(reopened.store.compactRevision()).isZero();
        for (long revision = 1; revision <= 7; revision++) {
            assertThat(reopened.store.range(everything(revision)))
                    .as("at revision %d", revision)
                    .isEqualTo(new AppliedStore(kv.backend, kv.leases).store.range(everything(revision)));
        }
        assertThat(keys(reopened.all())).containsExactly("a", "b", "c");
        assertThat(reopened.kv("c").getLease()).isEqualTo(9);
    }

    @Test
    void reopenedStoreContinuesVersionsAndGenerations() {
        writeHistory();

        AppliedStore reopened = kv.reopen();
        reopened.put("a", "3");
        reopened.put("b", "3");

        assertThat(reopened.kv("a").getVersion()).isEqualTo(3);
        assertThat(reopened.kv("a").getCreateRevision()).isEqualTo(2);
        assertThat(reopened.kv("a").getModRevision()).isEqualTo(8);
        assertThat(reopened.kv("b").getVersion()).isEqualTo(2);
        assertThat(reopened.kv("b").getCreateRevision()).isEqualTo(7);
    }

    @Test
    void reopenedStoreKeepsTheCompactRevision() {
        writeHistory();
        kv.compact(5);
        var atSixBefore = kv.store.range(everything(6));

        AppliedStore reopened = kv.reopen();

        assertThat(reopened.store.compactRevision()).isEqualTo(5);
        assertThatThrownBy(() -> reopened.get("a", 4))
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(EtcdError.COMPACTED));
        assertThatThrownBy(() -> reopened.compact(5))
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(EtcdError.COMPACTED));
        assertThat(keys(reopened.store.range(everything(5)))).containsExactly("a");
        assertThat(reopened.store.range(everything(6))).isEqualTo(atSixBefore);
    }

    @Test
    void reopenedStoreRebuildsCompactedKeysFromTheirOldestKeptRevision() {
        kv.put("a", "1");   // 2
        kv.put("a", "2");   // 3
        kv.put("a", "3");   // 4
        kv.compact(4);

        AppliedStore reopened = kv.reopen();
        reopened.put("a", "4");

        assertThat(reopened.kv("a").getVersion()).isEqualTo(4);
        assertThat(reopened.kv("a").getCreateRevision()).isEqualTo(2);
        reopened.delete("a");
        reopened.put("a", "new");
        assertThat(reopened.kv("a").getVersion()).isEqualTo(1);
    }

    @Test
    void reopenedStoreWhoseHistoryWasAllCompactedStaysAtTheCompactRevision() {
        kv.put("a", "1");   // 2
        kv.delete("a");     // 3
        kv.compact(3);
        assertThat(kv.backend.size(Bucket.KEY)).isZero();

        AppliedStore reopened = kv.reopen();

        assertThat(reopened.store.currentRevision()).isEqualTo(3);
        assertThat(reopened.put("a", "2").getHeader().getRevision()).isEqualTo(4);
    }

    @Test
    void reopenedStoreFinishesACompactionLeftScheduled() {
        writeHistory();
        try (WriteBatch batch = kv.backend.newBatch()) {
            batch.put(Bucket.META, StoreMeta.SCHEDULED_COMPACT_KEY, Revision.ofMain(4).toKey());
            batch.commit();
        }

        AppliedStore reopened = kv.reopen();

        assertThat(reopened.store.compactRevision()).isEqualTo(4);
        assertThat(StoreMeta.readFinishedCompaction(kv.backend)).isEqualTo(4);
        assertThat(reopened.store.consistentIndex()).isEqualTo(7);
        assertThat(reopened.get("a", 4).getKvs(0).getValue()).isEqualTo(bytes("2"));
    }

    @Test
    void emptyBackendOpensAtRevisionOne() {
        AppliedStore reopened = kv.reopen();

        assertThat(reopened.store.currentRevision()).isEqualTo(1);
        assertThat(reopened.store.consistentIndex()).isZero();
    }

    @Test
    void reopenedStoreKeepsTheConsistentIndexOfAnIndexOnlyWrite() {
        kv.put("a", "1");
        kv.store.saveConsistentIndex(42);

        assertThat(kv.reopen().store.consistentIndex()).isEqualTo(42);
    }
}
