package io.etcetera.kernel.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcetera.kernel.lease.LeaseApplier;
import io.etcetera.kernel.lease.LeaseClock;
import io.etcetera.kernel.lease.Lessor;
import io.etcetera.kernel.lease.LessorConfig;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.kernel.server.pb.RequestHeader;
import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class EntryApplierTest {

    private final InMemoryBackend backend = new InMemoryBackend();
    private final Lessor lessor = Lessor.recover(backend, LessorConfig.defaults(), LeaseClock.SYSTEM);
    private final MvccStore mvcc = new MvccStore(backend, lessor);
    private final Wait wait = new Wait();
    private final List<Long> emptyEntries = new ArrayList<>();
    private final EntryApplier applier = new EntryApplier(mvcc, new LeaseApplier(lessor, mvcc), wait, emptyEntries::add);

    private static Entry request(long index, long id, PutRequest put) {
        InternalRaftRequest request = InternalRaftRequest.newBuilder()
                .setHeader(RequestHeader.newBuilder().setID(id))
                .setPut(put)
                .build();
        return Entry.newBuilder().setTerm(2).setIndex(index).setData(request.toByteString()).build();
    }

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build();
    }

    @Test
    void aRequestIsAppliedAtItsIndexAndAnswersItsWaiter() throws Exception {
        CompletableFuture<Message> waiting = wait.register(77);

        applier.apply(request(3, 77, put("k", "v")));

        PutResponse response = (PutResponse) waiting.get();
        assertThat(response.getHeader().getRevision()).isEqualTo(2);
        assertThat(mvcc.consistentIndex()).isEqualTo(3);
        assertThat(mvcc.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build()).getKvs(0)
                .getValue().toStringUtf8()).isEqualTo("v");
    }

    @Test
    void emptyAndConfChangeEntriesOnlySaveTheConsistentIndexAndEmptyOnesAreReported() {
        applier.apply(Entry.newBuilder().setTerm(1).setIndex(1).setType(EntryType.EntryConfChange)
                .setData(ConfChange.newBuilder().setNodeId(1).build().toByteString()).build());
        assertThat(mvcc.consistentIndex()).isEqualTo(1);

        applier.apply(Entry.newBuilder().setTerm(2).setIndex(2).build());
        assertThat(mvcc.consistentIndex()).isEqualTo(2);
        assertThat(mvcc.currentRevision()).isEqualTo(1);
        assertThat(emptyEntries).containsExactly(2L);
    }

    @Test
    void leaseEntriesAreAppliedByTheLessorAndAnswerTheirWaiters() throws Exception {
        CompletableFuture<Message> granted = wait.register(1);
        CompletableFuture<Message> revoked = wait.register(2);

        applier.apply(entry(3, InternalRaftRequest.newBuilder().setHeader(RequestHeader.newBuilder().setID(1))
                .setLeaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(60))));
        applier.apply(request(4, 99, put("k", "v").toBuilder().setLease(7).build()));
        applier.apply(entry(5, InternalRaftRequest.newBuilder().setHeader(RequestHeader.newBuilder().setID(2))
                .setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(7))));

        assertThat(((LeaseGrantResponse) granted.get()).getTTL()).isEqualTo(60);
        assertThat(((LeaseRevokeResponse) revoked.get()).getHeader().getRevision()).isEqualTo(3);
        assertThat(lessor.exists(7)).isFalse();
        assertThat(mvcc.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build()).getCount()).isZero();
        assertThat(mvcc.consistentIndex()).isEqualTo(5);
    }

    private static Entry entry(long index, InternalRaftRequest.Builder request) {
        return Entry.newBuilder().setTerm(2).setIndex(index).setData(request.build().toByteString()).build();
    }

    @Test
    void aRequestTheStoreRefusesFailsOnlyItsOwnWaiterAndTheIndexIsStillSaved() throws Exception {
        CompletableFuture<Message> refused = wait.register(1);
        CompletableFuture<Message> accepted = wait.register(2);

        applier.apply(request(5, 1, put("k", "v").toBuilder().setLease(12345).build()));
        applier.apply(request(6, 2, put("k", "v")));

        assertThatThrownBy(refused::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(EtcdException.class)
                .hasMessage(EtcdError.LEASE_NOT_FOUND.message());
        assertThat(((PutResponse) accepted.get()).getHeader().getRevision()).isEqualTo(2);
        assertThat(mvcc.consistentIndex()).isEqualTo(6);
    }

    @Test
    void entriesReplayedWithoutAWaiterAreAppliedAllTheSame() {
        applier.apply(request(4, 999, put("replayed", "yes")));

        assertThat(mvcc.currentRevision()).isEqualTo(2);
        assertThat(mvcc.consistentIndex()).isEqualTo(4);
    }

    @Test
    void anUndecodableEntryIsFatal() {
        Entry garbage = Entry.newBuilder().setTerm(2).setIndex(3).setData(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})).build();

        assertThatThrownBy(() -> applier.apply(garbage))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("committed entry 3 cannot be decoded");
    }
}
