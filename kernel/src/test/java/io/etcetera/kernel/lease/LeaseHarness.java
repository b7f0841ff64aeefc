package io.etcetera.kernel.lease;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.LeaseCheckpoint;
import io.etcetera.spi.etcdserverpb.LeaseCheckpointRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Test harness: a lessor and an MVCC store on an {@link InMemoryBackend}, a {@link FakeClock},
 * and a log stand-in: what the lessor proposes is recorded and applied on request, at consecutive
 * indexes, as the apply thread would.
 */
final class LeaseHarness implements LeaseProposals {

    final InMemoryBackend backend;
    final FakeClock clock;
    final LessorConfig config;
    final Lessor lessor;
    final MvccStore mvcc;
    final LeaseApplier applier;
    final List<Long> proposedRevocations = new ArrayList<>();
    final List<List<LeaseCheckpoint>> proposedCheckpoints = new ArrayList<>();
    long index;

    LeaseHarness(LessorConfig config) {
        this(new InMemoryBackend(), new FakeClock(), config);
    }

    private LeaseHarness(InMemoryBackend backend, FakeClock clock, LessorConfig config) {
        this.backend = backend;
        this.clock = clock;
        this.config = config;
        this.lessor = Lessor.recover(backend, config, clock);
        this.mvcc = new MvccStore(backend, lessor);
        this.applier = new LeaseApplier(lessor, mvcc);
        this.index = mvcc.consistentIndex();
        lessor.setProposals(this);
    }

    /** A new lessor and store on the same backend and clock, as after a restart; not promoted. */
    LeaseHarness restart() {
        return restart(config);
    }

    /** {@link #restart()} with another lessor timing. */
    LeaseHarness restart(LessorConfig newConfig) {
        lessor.stop();
        mvcc.close();
        return new LeaseHarness(backend, clock, newConfig);
    }

    @Override
    public synchronized void revoke(long leaseId) {
        proposedRevocations.add(leaseId);
    }

    @Override
    public synchronized void checkpoint(List<LeaseCheckpoint> checkpoints) {
        proposedCheckpoints.add(List.copyOf(checkpoints));
    }

    /** Applies what the lessor proposed so far, revocations first, and forgets it. */
    synchronized void applyProposals() {
        for (long id : proposedRevocations) {
            revoke(LeaseRevokeRequest.newBuilder().setID(id).build());
        }
        for (List<LeaseCheckpoint> checkpoints : proposedCheckpoints) {
            applier.checkpoint(LeaseCheckpointRequest.newBuilder().addAllCheckpoints(checkpoints).build(), ++index);
        }
        proposedRevocations.clear();
        proposedCheckpoints.clear();
    }

    LeaseGrantResponse grant(long id, long ttlSeconds) {
        return applier.grant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttlSeconds).build(), ++index);
    }

    LeaseRevokeResponse revoke(LeaseRevokeRequest request) {
        return applier.revoke(request, ++index);
    }

    LeaseRevokeResponse revokeLease(long id) {
        return revoke(LeaseRevokeRequest.newBuilder().setID(id).build());
    }

    PutResponse put(String key, long lease) {
        return put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).setLease(lease).build());
    }

    PutResponse put(PutRequest request) {
        return mvcc.put(request, ++index);
    }

    void delete(String key) {
        mvcc.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build(), ++index);
    }

    /** The live key-value of {@code key}, or null. */
    KeyValue kv(String key) {
        List<KeyValue> kvs = mvcc.range(RangeRequest.newBuilder().setKey(bytes(key)).build()).getKvsList();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    /** The keys attached to lease {@code id}, as time-to-live lists them. */
    List<String> keysOf(long id) {
        return lessor.status(id, true).keys().stream().map(ByteString::toStringUtf8).toList();
    }

    static ByteString bytes(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
