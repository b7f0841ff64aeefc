package io.etcetera.kernel.lease;

import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.spi.etcdserverpb.LeaseCheckpointRequest;
import io.etcetera.spi.etcdserverpb.LeaseCheckpointResponse;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import java.util.List;
import java.util.Objects;

/**
 * Applies the lease entries of the log (etcd's {@code applierV3backend.LeaseGrant},
 * {@code LeaseRevoke}, {@code LeaseCheckpoint}): each is one atomic backend batch holding the
 * lease bucket change, any key deletions, and the entry's index as consistent index; the
 * lessor's memory follows once the batch is committed. Responses carry a header with only
 * {@code revision} set (the store's revision after the entry), like the KV responses.
 *
 * <p>Not thread-safe: the apply thread only.
 */
public final class LeaseApplier {

    private final Lessor lessor;
    private final MvccStore mvcc;

    public LeaseApplier(Lessor lessor, MvccStore mvcc) {
        this.lessor = Objects.requireNonNull(lessor, "lessor");
        this.mvcc = Objects.requireNonNull(mvcc, "mvcc");
    }

    /**
     * Grants lease {@code ID} (never 0: the server picks an id before proposing) for at least the
     * minimum TTL; the response carries the TTL granted.
     *
     * @param index the log index of the entry, stored as consistent index
     * @throws io.etcetera.spi.error.EtcdException LEASE_NOT_FOUND (id 0), LEASETTL_TOO_LARGE,
     *     LEASE_EXIST; nothing is written then
     */
    public LeaseGrantResponse grant(LeaseGrantRequest request, long index) {
        long ttl = lessor.checkGrant(request.getID(), request.getTTL());
        mvcc.saveConsistentIndex(index, batch -> LeaseRecords.put(batch, new StoredLease(request.getID(), ttl, 0)));
        lessor.grant(request.getID(), ttl);
        return LeaseGrantResponse.newBuilder()
                .setHeader(header(mvcc.currentRevision()))
                .setID(request.getID())
                .setTTL(ttl)
                .build();
    }

    /**
     * Revokes lease {@code ID}: deletes its keys in unsigned byte order in one MVCC write (one
     * revision, one delete event per key, as a DeleteRange would) together with its record.
     *
     * @param index the log index of the entry, stored as consistent index
     * @throws io.etcetera.spi.error.EtcdException LEASE_NOT_FOUND; nothing is written then
     */
    public LeaseRevokeResponse revoke(LeaseRevokeRequest request, long index) {
        long id = request.getID();
        List<byte[]> keys = lessor.keysToRevoke(id);
        long revision = mvcc.deleteKeys(keys, index, batch -> LeaseRecords.delete(batch, id));
        lessor.revoked(id);
        return LeaseRevokeResponse.newBuilder().setHeader(header(revision)).build();
    }

    /**
     * Records the remaining TTLs of the checkpoints, for the leases that still exist, and
     * persists them (etcd's checkpoint persistence) in one batch.
     *
     * @param index the log index of the entry, stored as consistent index
     */
    public LeaseCheckpointResponse checkpoint(LeaseCheckpointRequest request, long index) {
        List<StoredLease> records = lessor.checkpoint(request.getCheckpointsList());
        mvcc.saveConsistentIndex(index, batch -> records.forEach(record -> LeaseRecords.put(batch, record)));
        return LeaseCheckpointResponse.newBuilder().setHeader(header(mvcc.currentRevision())).build();
    }

    private static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }
}
