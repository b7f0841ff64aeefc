package io.etcetera.kernel.lease;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.lease.pb.Lease;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView;
import io.etcetera.spi.storage.StorageException;
import io.etcetera.spi.storage.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Leases in the backend, in etcd's format ({@code lease/lessor.go persistTo}): in
 * {@link Bucket#LEASE}, key = the lease id as 8 bytes big-endian, value = a serialized
 * {@code leasepb.Lease} {ID, TTL, RemainingTTL}. Stateless; thread-safe.
 */
final class LeaseRecords {

    private LeaseRecords() {
    }

    /** Writes {@code lease}, replacing any record of the same id. */
    static void put(WriteBatch batch, StoredLease lease) {
        Lease record = Lease.newBuilder()
                .setID(lease.id())
                .setTTL(lease.ttlSeconds())
                .setRemainingTTL(lease.remainingTtlSeconds())
                .build();
        batch.put(Bucket.LEASE, key(lease.id()), record.toByteArray());
    }

    /** Deletes lease {@code id}. */
    static void delete(WriteBatch batch, long id) {
        batch.delete(Bucket.LEASE, key(id));
    }

    /**
     * Every stored lease, in key order.
     *
     * @throws StorageException when a record cannot be decoded
     */
    static List<StoredLease> readAll(ReadView backend) {
        List<StoredLease> records = new ArrayList<>();
        backend.scan(Bucket.LEASE, new byte[0], null, (key, value) -> {
            try {
                Lease record = Lease.parseFrom(value);
                records.add(new StoredLease(record.getID(), record.getTTL(), record.getRemainingTTL()));
            } catch (InvalidProtocolBufferException e) {
                throw new StorageException("corrupt lease record " + Long.toHexString(ByteBuffer.wrap(key).getLong())
                        + " in the lease bucket", e);
            }
            return true;
        });
        return records;
    }

    static byte[] key(long id) {
        return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
    }
}
