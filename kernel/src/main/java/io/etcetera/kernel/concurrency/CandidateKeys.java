package io.etcetera.kernel.concurrency;

import com.google.protobuf.ByteString;
import io.etcetera.spi.etcdserverpb.Compare;
import io.etcetera.spi.etcdserverpb.DeleteRangeRequest;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;

/**
 * Key names and requests shared by locks and elections (etcd {@code clientv3/concurrency}):
 * a lock or election {@code name} owns the prefix {@code name + "/"}; each holder or candidate
 * is the key {@code prefix + hex(lease)} ({@code fmt.Sprintf("%s%x", pfx, lease)}). Stateless.
 */
final class CandidateKeys {

    private CandidateKeys() {
    }

    /** {@code name + "/"}. */
    static ByteString prefix(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    /** {@code prefix + hex(lease)}, lower-case hex as Go's {@code %x} of an int64. */
    static ByteString candidate(ByteString prefix, long lease) {
        String hex = lease < 0 ? "-" + Long.toHexString(-lease) : Long.toHexString(lease);
        return prefix.concat(ByteString.copyFromUtf8(hex));
    }

    /** The end of the range of keys starting with {@code prefix} (etcd {@code GetPrefixRangeEnd}). */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** The key under {@code prefix} with the smallest create_revision (etcd {@code WithFirstCreate}). */
    static RangeRequest firstCreated(ByteString prefix) {
        return byCreateRevision(prefix, RangeRequest.SortOrder.ASCEND).build();
    }

    /**
     * The key under {@code prefix} with the largest create_revision not above
     * {@code maxCreateRevision} (etcd {@code WithLastCreate} + {@code WithMaxCreateRev}).
     */
    static RangeRequest lastCreatedUpTo(ByteString prefix, long maxCreateRevision) {
        return byCreateRevision(prefix, RangeRequest.SortOrder.DESCEND).setMaxCreateRevision(maxCreateRevision).build();
    }

    private static RangeRequest.Builder byCreateRevision(ByteString prefix, RangeRequest.SortOrder order) {
        return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(order).setLimit(1);
    }

    /** {@code create_revision(key) == revision}; 0 means "the key does not exist". */
    static Compare createRevisionIs(ByteString key, long revision) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(revision).build();
    }

    static RequestOp put(ByteString key, ByteString value, long lease) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease)).build();
    }

    static RequestOp get(ByteString key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
    }

    static RequestOp get(RangeRequest range) {
        return RequestOp.newBuilder().setRequestRange(range).build();
    }

    static RequestOp delete(ByteString key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build();
    }
}
