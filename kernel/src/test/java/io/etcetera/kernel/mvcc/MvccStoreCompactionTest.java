package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.bytes;
import static io.etcetera.kernel.mvcc.AppliedStore.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.StorageException;
import org.junit.jupiter.api.Test;

class MvccStoreCompactionTest {

    private final AppliedStore kv = new AppliedStore();

    private static void assertFails(Runnable request, EtcdError error) {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void compactionKeepsEachKeysLatestRevisionAtTheCompactRevision() {
        kv.put("a", "1");   // 2
        kv.put("a", "2");   // 3
        kv.put("b", "1");   // 4
        kv.put("a", "3");   // 5

        kv.compact(4);

        assertThat(kv.get("a", 4).getKvs(0).getValue()).isEqualTo(bytes("2"));
        assertThat(kv.get("b", 4).getKvs(0).getValue()).isEqualTo(bytes("1"));
        assertThat(kv.get("a").getKvs(0).getValue()).isEqualTo(bytes("3"));
        assertThat(kv.get("a").getKvs(0).getVersion()).isEqualTo(3);
        assertThat(kv.store.compactRevision()).isEqualTo(4);
    }

    @Test
    void compactionRemovesOlderRevisionsFromTheBackend() {
        kv.put("a", "1");   // 2
        kv.put("a", "2");   // 3
        kv.put("b", "1");   // 4
        kv.put("a", "3");   // 5

        kv.compact(4);

        assertThat(kv.backend.keys(Bucket.KEY)).containsExactly(
                new Revision(3, 0).toKey(), new Revision(4, 0).toKey(), new Revision(5, 0).toKey());
    }

    @Test
    void readBeforeTheCompactRevisionFailsCompacted() {
        kv.put("a", "1");
        kv.put("a", "2");
        kv.compact(3);

        assertThatThrownBy(() -> kv.get("a", 2))
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(EtcdError.COMPACTED))
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(kv.get("a", 3).getKvs(0).getValue()).as("the compact revision itself is readable")
                .isEqualTo(bytes("2"));
    }

    @Test
    void keyDeletedAtOrBeforeTheCompactRevisionVanishes() {
        kv.put("gone", "1");   // 2
        kv.put("gone", "2");   // 3
        kv.delete("gone");     // 4
        kv.put("kept", "1");   // 5

        kv.compact(5);

        assertThat(kv.backend.keys(Bucket.KEY)).containsExactly(new Revision(5, 0).toKey());
        assertThat(kv.store.range(AppliedStore.all(RangeRequest.newBuilder()).setRevision(5).build()).getCount())
                .isEqualTo(1);
    }

    @Test
    void keyDeletedAfterTheCompactRevisionKeepsItsHistoryUpToIt() {
        kv.put("a", "1");   // 2
        kv.put("a", "2");   // 3
        kv.delete("a");     // 4

        kv.compact(3);

        assertThat(kv.get("a", 3).getKvs(0).getValue()).isEqualTo(bytes("2"));
        assertThat(kv.get("a").getKvsList()).isEmpty();
        assertThat(kv.backend.keys(Bucket.KEY)).containsExactly(
                new Revision(3, 0).toKey(), new Revision(4, 0).toTombstoneKey());
    }

    @Test
    void recreatedKeyAfterCompactionStartsItsNewGeneration() {
        kv.put("a", "1");   // 2
        kv.delete("a");     // 3
        kv.compact(3);

        kv.put("a", "2");   // 4

        assertThat(kv.kv("a").getVersion()).isEqualTo(1);
        assertThat(kv.kv("a").getCreateRevision()).isEqualTo(4);
    }

    @Test
    void compactionAtOrBeforeTheCompactRevisionFailsCompacted() {
        kv.put("a", "1");
        kv.put("a", "2");
        kv.compact(2);

        assertFails(() -> kv.compact(2), EtcdError.COMPACTED);
        assertFails(() -> kv.compact(1), EtcdError.COMPACTED);
    }

    @Test
    void compactionAfterTheCurrentRevisionFailsFutureRev() {
        kv.put("a", "1");

        assertFails(() -> kv.compact(3), EtcdError.FUTURE_REV);
        assertThat(kv.store.compactRevision()).isZero();
    }

    @Test
    void compactionAtZeroOfAFreshStoreSucceedsOnceAsInEtcd() {
        // etcd 3.4.23: "compact 0" then "compact 0" answers OK, then ErrCompacted
        assertThat(kv.compact(0).getHeader().getRevision()).isEqualTo(1);

        assertFails(() -> kv.compact(0), EtcdError.COMPACTED);
        assertThat(kv.compact(1).getHeader().getRevision()).isEqualTo(1);
    }

    @Test
    void compactionHeaderCarriesTheCurrentRevision() {
        kv.put("a", "1");
        kv.put("a", "2");

        assertThat(kv.compact(2).getHeader().getRevision()).isEqualTo(3);
        assertThat(kv.store.currentRevision()).as("compaction takes no revision").isEqualTo(3);
    }

    @Test
    void compactionStoresTheCompactRevisionAndTheConsistentIndex() {
        kv.put("a", "1");
        kv.put("a", "2");

        kv.compact(3);

        assertThat(StoreMeta.readFinishedCompaction(kv.backend)).isEqualTo(3);
        assertThat(StoreMeta.readScheduledCompaction(kv.backend)).isEqualTo(3);
        assertThat(StoreMeta.readConsistentIndex(kv.backend)).isEqualTo(3);
    }

    @Test
    void historicalRangeOverManyKeysAfterCompaction() {
        kv.put("a", "1");   // 2
        kv.put("b", "1");   // 3
        kv.put("a", "2");   // 4
        kv.delete("b");     // 5
        kv.compact(4);

        assertThat(keys(kv.store.range(AppliedStore.all(RangeRequest.newBuilder()).setRevision(4).build())))
                .containsExactly("a", "b");
        assertThat(keys(kv.all())).containsExactly("a");
    }

    @Test
    void failedCompactionLeavesTheStoreAsItWas() {
        kv.put("a", "1");
        kv.put("a", "2");
        kv.backend.failNextCommit();

        assertThatThrownBy(() -> kv.compact(3)).isInstanceOf(StorageException.class);

        assertThat(kv.store.compactRevision()).isZero();
        assertThat(kv.get("a", 2).getKvs(0).getValue()).isEqualTo(bytes("1"));
        assertThat(kv.backend.size(Bucket.KEY)).isEqualTo(2);
    }
}
