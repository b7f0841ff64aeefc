package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.bytes;
import static io.etcetera.kernel.mvcc.AppliedStore.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.StorageException;
import org.junit.jupiter.api.Test;

class MvccStoreWriteTest {

    private static final long LEASE = 0x1234;

    private final AppliedStore kv = new AppliedStore(new InMemoryBackend(), leaseId -> leaseId == LEASE);

    private static PutRequest.Builder put(String key, String value) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value));
    }

    private static void assertFails(Runnable request, EtcdError error) {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void putWithPrevKvReturnsTheReplacedKeyValue() {
        kv.put("a", "1");

        PutResponse response = kv.put(put("a", "2").setPrevKv(true).build());

        assertThat(response.getPrevKv().getValue()).isEqualTo(bytes("1"));
        assertThat(response.getPrevKv().getModRevision()).isEqualTo(2);
        assertThat(response.getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void putWithPrevKvOfANewKeyReturnsNoPrevKv() {
        PutResponse response = kv.put(put("a", "1").setPrevKv(true).build());

        assertThat(response.hasPrevKv()).isFalse();
    }

    @Test
    void putWithoutPrevKvReturnsNoPrevKv() {
        kv.put("a", "1");

        assertThat(kv.put(put("a", "2").build()).hasPrevKv()).isFalse();
    }

    @Test
    void putWithALeaseStoresTheLease() {
        kv.put(put("a", "1").setLease(LEASE).build());

        assertThat(kv.kv("a").getLease()).isEqualTo(LEASE);
    }

    @Test
    void putWithAnUnknownLeaseFailsLeaseNotFound() {
        assertFails(() -> kv.put(put("a", "1").setLease(99).build()), EtcdError.LEASE_NOT_FOUND);
        assertThat(kv.kv("a")).isNull();
        assertThat(kv.store.currentRevision()).isEqualTo(1);
    }

    @Test
    void storeWithoutLeaseStoreKnowsNoLease() {
        AppliedStore plain = new AppliedStore();

        assertThatThrownBy(() -> plain.put(put("a", "1").setLease(LEASE).build()))
                .isInstanceOf(EtcdException.class)
                .hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void ignoreValueKeepsTheValueAndChangesTheLease() {
        kv.put("a", "1");

        kv.put(PutRequest.newBuilder().setKey(bytes("a")).setIgnoreValue(true).setLease(LEASE).build());

        KeyValue a = kv.kv("a");
        assertThat(a.getValue()).isEqualTo(bytes("1"));
        assertThat(a.getLease()).isEqualTo(LEASE);
        assertThat(a.getVersion()).isEqualTo(2);
    }

    @Test
    void ignoreLeaseKeepsTheLeaseAndChangesTheValue() {
        kv.put(put("a", "1").setLease(LEASE).build());

        kv.put(put("a", "2").setIgnoreLease(true).build());

        assertThat(kv.kv("a").getLease()).isEqualTo(LEASE);
        assertThat(kv.kv("a").getValue()).isEqualTo(bytes("2"));
    }

    @Test
    void ignoreFlagsOnAnAbsentKeyFailKeyNotFound() {
        assertFails(() -> kv.put(PutRequest.newBuilder().setKey(bytes("a")).setIgnoreValue(true).build()),
                EtcdError.KEY_NOT_FOUND);
        assertFails(() -> kv.put(PutRequest.newBuilder().setKey(bytes("a")).setIgnoreLease(true).build()),
                EtcdError.KEY_NOT_FOUND);
        assertThat(kv.store.currentRevision()).isEqualTo(1);
    }

    @Test
    void ignoreValueOnADeletedKeyFailsKeyNotFound() {
        kv.put("a", "1");
        kv.delete("a");

        assertFails(() -> kv.put(PutRequest.newBuilder().setKey(bytes("a")).setIgnoreValue(true).build()),
                EtcdError.KEY_NOT_FOUND);
    }

    @Test
    void deleteWithPrevKvReturnsTheDeletedKeyValues() {
        kv.put("a", "1");
        kv.put("b", "2");
        kv.put("c", "3");

        DeleteRangeResponse response = kv.delete(DeleteRangeRequest.newBuilder()
                .setKey(bytes("a")).setRangeEnd(bytes("c")).setPrevKv(true).build());

        assertThat(response.getDeleted()).isEqualTo(2);
        assertThat(keys(response.getPrevKvsList())).containsExactly("a", "b");
        assertThat(response.getPrevKvs(1).getValue()).isEqualTo(bytes("2"));
    }

    @Test
    void deleteWithoutPrevKvReturnsOnlyTheCount() {
        kv.put("a", "1");

        DeleteRangeResponse response = kv.delete("a");

        assertThat(response.getDeleted()).isEqualTo(1);
        assertThat(response.getPrevKvsList()).isEmpty();
        assertThat(response.getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void deleteFromKeyDeletesEveryLaterKey() {
        kv.put("a", "1");
        kv.put("b", "1");
        kv.put("c", "1");

        DeleteRangeResponse response = kv.delete(DeleteRangeRequest.newBuilder()
                .setKey(bytes("b")).setRangeEnd(bytes("\0")).build());

        assertThat(response.getDeleted()).isEqualTo(2);
        assertThat(keys(kv.all())).containsExactly("a");
    }

    @Test
    void deleteSkipsKeysAlreadyDeleted() {
        kv.put("a", "1");
        kv.put("b", "1");
        kv.delete("a");

        DeleteRangeResponse response = kv.delete(DeleteRangeRequest.newBuilder()
                .setKey(bytes("a")).setRangeEnd(bytes("z")).setPrevKv(true).build());

        assertThat(response.getDeleted()).isEqualTo(1);
        assertThat(keys(response.getPrevKvsList())).containsExactly("b");
    }

    @Test
    void failedPutChangesNothingNotEvenTheConsistentIndex() {
        kv.put("a", "1");
        long commits = kv.backend.commits();

        assertFails(() -> kv.store.put(put("b", "1").setLease(7).build(), 10), EtcdError.LEASE_NOT_FOUND);

        assertThat(kv.backend.commits()).isEqualTo(commits);
        assertThat(kv.store.consistentIndex()).isEqualTo(1);
        assertThat(kv.store.currentRevision()).isEqualTo(2);
    }

    @Test
    void backendFailureOnCommitLeavesTheStoreAsItWas() {
        kv.put("a", "1");
        kv.backend.failNextCommit();

        assertThatThrownBy(() -> kv.put("a", "2")).isInstanceOf(StorageException.class);

        assertThat(kv.store.currentRevision()).isEqualTo(2);
        assertThat(kv.store.consistentIndex()).isEqualTo(1);
        assertThat(kv.kv("a").getValue()).isEqualTo(bytes("1"));
        assertThat(kv.kv("a").getVersion()).isEqualTo(1);
        assertThat(kv.backend.size(Bucket.KEY)).isEqualTo(1);

        kv.put("a", "3");
        assertThat(kv.kv("a").getModRevision()).as("the failed revision is taken again").isEqualTo(3);
        assertThat(kv.kv("a").getVersion()).isEqualTo(2);
    }

    @Test
    void backendFailureOnDeleteLeavesTheKeyLive() {
        kv.put("a", "1");
        kv.backend.failNextCommit();

        assertThatThrownBy(() -> kv.delete("a")).isInstanceOf(StorageException.class);

        assertThat(kv.kv("a")).isNotNull();
        assertThat(kv.store.currentRevision()).isEqualTo(2);
    }
}
