package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.bytes;
import static io.etcetera.kernel.mvcc.AppliedStore.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

class MvccStoreRevisionTest {

    private final AppliedStore kv = new AppliedStore();

    @Test
    void emptyStoreIsAtRevisionOneWithNoCompactionAndNoIndex() {
        assertThat(kv.store.currentRevision()).isEqualTo(1);
        assertThat(kv.store.compactRevision()).isZero();
        assertThat(kv.store.consistentIndex()).isZero();
        assertThat(kv.all().getHeader().getRevision()).isEqualTo(1);
    }

    @Test
    void eachPutTakesOneNewRevision() {
        assertThat(kv.put("a", "1").getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.put("b", "1").getHeader().getRevision()).isEqualTo(3);
        assertThat(kv.put("a", "2").getHeader().getRevision()).isEqualTo(4);
        assertThat(kv.store.currentRevision()).isEqualTo(4);
    }

    @Test
    void putsOfOneKeyCountVersionsAndKeepTheCreateRevision() {
        kv.put("a", "1");
        kv.put("other", "x");
        kv.put("a", "2");

        KeyValue a = kv.kv("a");
        assertThat(a.getCreateRevision()).isEqualTo(2);
        assertThat(a.getModRevision()).isEqualTo(4);
        assertThat(a.getVersion()).isEqualTo(2);
        assertThat(a.getValue()).isEqualTo(bytes("2"));
        assertThat(a.getLease()).isZero();
    }

    @Test
    void deleteEndsTheGenerationAndRecreateStartsANewOne() {
        kv.put("a", "1");
        kv.put("a", "2");
        kv.delete("a");
        assertThat(kv.kv("a")).isNull();

        kv.put("a", "3");

        KeyValue a = kv.kv("a");
        assertThat(a.getCreateRevision()).isEqualTo(5);
        assertThat(a.getModRevision()).isEqualTo(5);
        assertThat(a.getVersion()).as("version restarts at 1 in a new generation").isEqualTo(1);
    }

    @Test
    void deleteOfAnAbsentKeyTakesNoRevision() {
        kv.put("a", "1");

        var response = kv.delete("missing");

        assertThat(response.getDeleted()).isZero();
        assertThat(response.getHeader().getRevision()).isEqualTo(2);
        assertThat(kv.store.currentRevision()).isEqualTo(2);
    }

    @Test
    void deleteOfSeveralKeysTakesOneRevision() {
        kv.put("a", "1");
        kv.put("b", "1");
        kv.put("c", "1");

        var response = kv.delete(DeleteRangeRequest.newBuilder().setKey(bytes("a")).setRangeEnd(bytes("c")).build());

        assertThat(response.getDeleted()).isEqualTo(2);
        assertThat(response.getHeader().getRevision()).isEqualTo(5);
        assertThat(kv.store.currentRevision()).isEqualTo(5);
        assertThat(keys(kv.all())).containsExactly("c");
    }

    @Test
    void historicalReadSeesTheKeyAsItWasAndReportsTheCurrentRevision() {
        kv.put("a", "1");
        kv.put("a", "2");
        kv.delete("a");
        kv.put("a", "3");

        assertThat(kv.get("a", 1).getKvsList()).isEmpty();
        assertThat(kv.get("a", 2).getKvs(0).getValue()).isEqualTo(bytes("1"));
        assertThat(kv.get("a", 3).getKvs(0).getVersion()).isEqualTo(2);
        assertThat(kv.get("a", 4).getKvsList()).as("deleted at 4").isEmpty();
        assertThat(kv.get("a", 4).getCount()).isZero();
        assertThat(kv.get("a", 5).getKvs(0).getValue()).isEqualTo(bytes("3"));
        assertThat(kv.get("a", 2).getHeader().getRevision()).isEqualTo(5);
    }

    @Test
    void readAtAFutureRevisionFailsFutureRev() {
        kv.put("a", "1");

        assertThatThrownBy(() -> kv.get("a", 3))
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(EtcdError.FUTURE_REV))
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void readAtANegativeRevisionReadsTheCurrentRevision() {
        kv.put("a", "1");

        assertThat(kv.get("a", -7).getKvs(0).getValue()).isEqualTo(bytes("1"));
    }

    @Test
    void eachWriteStoresItsConsistentIndex() {
        kv.put("a", "1");
        kv.delete("absent");

        assertThat(kv.store.consistentIndex()).isEqualTo(2);
        assertThat(StoreMeta.readConsistentIndex(kv.backend)).isEqualTo(2);

        kv.store.saveConsistentIndex(9);
        assertThat(kv.store.consistentIndex()).isEqualTo(9);
        assertThat(StoreMeta.readConsistentIndex(kv.backend)).isEqualTo(9);
    }

    @Test
    void consistentIndexIsStoredBigEndianUnderEtcdsMetaKey() {
        kv.store.saveConsistentIndex(0x0102030405060708L);

        byte[] stored = kv.backend.get(io.etcetera.spi.storage.Bucket.META, "consistent_index".getBytes());
        assertThat(stored).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void consistentIndexNeverGoesBack() {
        kv.store.saveConsistentIndex(5);

        assertThatThrownBy(() -> kv.store.saveConsistentIndex(4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(kv.store.consistentIndex()).isEqualTo(5);
    }

    @Test
    void storeStoresRevisionKeysAndTombstonesInTheKeyBucket() {
        kv.put("a", "1");
        kv.delete("a");

        var stored = kv.backend.keys(io.etcetera.spi.storage.Bucket.KEY);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0)).isEqualTo(new Revision(2, 0).toKey());
        assertThat(stored.get(1)).isEqualTo(new Revision(3, 0).toTombstoneKey());
        KeyValue tombstone = StoreTxn.parse(kv.backend.get(io.etcetera.spi.storage.Bucket.KEY, stored.get(1)));
        assertThat(tombstone).isEqualTo(KeyValue.newBuilder().setKey(bytes("a")).build());
    }

    @Test
    void closedStoreRefusesRequests() {
        kv.store.close();

        assertThatThrownBy(() -> kv.get("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kv.put("a", "1")).isInstanceOf(IllegalStateException.class);
    }
}
