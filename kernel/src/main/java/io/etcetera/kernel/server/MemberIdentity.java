package io.etcetera.kernel.server;

import io.etcetera.kernel.ServerConfig;
import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.WriteBatch;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * This member's id and its cluster's id, as etcd derives them and as every response header
 * carries them.
 *
 * <p>The member id is etcd's {@code membership.NewMember} without a timestamp: the first 8 bytes,
 * big-endian, of SHA-1 over the sorted {@code --initial-advertise-peer-urls} concatenated,
 * followed by {@code --initial-cluster-token}. The cluster id is etcd's {@code RaftCluster.genID}:
 * the first 8 bytes of SHA-1 over the sorted member ids, each 8 bytes big-endian.
 *
 * <p>Both are computed on the first start and stored in the backend — the member under its id in
 * {@link Bucket#MEMBERS} (key: id in lowercase hex, value: etcd's member JSON), the ids under
 * {@code clusterID} and {@code localMemberID} (lowercase hex) in {@link Bucket#CLUSTER} — and read
 * back on every later start, so changing the initial flags afterwards changes nothing, as in etcd.
 *
 * @param memberId this member's id
 * @param clusterId the cluster's id
 */
public record MemberIdentity(long memberId, long clusterId) {

    static final byte[] CLUSTER_ID_KEY = "clusterID".getBytes(StandardCharsets.UTF_8);
    static final byte[] LOCAL_MEMBER_ID_KEY = "localMemberID".getBytes(StandardCharsets.UTF_8);

    /** etcd's member id for {@code peerUrls} in the cluster named by {@code clusterToken}. */
    public static long computeMemberId(List<URI> peerUrls, String clusterToken) {
        List<String> sorted = peerUrls.stream().map(URI::toString).sorted().toList();
        String joined = String.join("", sorted) + clusterToken;
        return firstEightBytes(sha1(joined.getBytes(StandardCharsets.UTF_8)));
    }

    /** etcd's cluster id for a cluster of {@code memberIds}. */
    public static long computeClusterId(List<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer bytes = ByteBuffer.allocate(8 * sorted.size());
        sorted.forEach(bytes::putLong);
        return firstEightBytes(sha1(bytes.array()));
    }

    /**
     * Reads the identity stored in {@code backend}, or computes it from {@code config} and stores
     * it (one atomic batch) when the backend holds none: every member of
     * {@link ServerConfig#initialCluster()} gets etcd's id for its peer URLs and the cluster
     * token, this member's ({@link ServerConfig#name()}) also its advertised client URLs.
     */
    public static MemberIdentity loadOrCreate(Backend backend, ServerConfig config) {
        byte[] clusterId = backend.get(Bucket.CLUSTER, CLUSTER_ID_KEY);
        byte[] memberId = backend.get(Bucket.CLUSTER, LOCAL_MEMBER_ID_KEY);
        if (clusterId != null && memberId != null) {
            return new MemberIdentity(parseHex(memberId), parseHex(clusterId));
        }
        List<ClusterMember> members = new ArrayList<>();
        config.initialCluster().forEach((name, peerUrls) -> members.add(new ClusterMember(
                computeMemberId(peerUrls, config.initialClusterToken()), name, peerUrls,
                name.equals(config.name()) ? config.advertiseClientUrls() : List.of())));
        long member = computeMemberId(config.initialCluster().get(config.name()), config.initialClusterToken());
        MemberIdentity identity = new MemberIdentity(member,
                computeClusterId(members.stream().map(ClusterMember::id).toList()));
        try (WriteBatch batch = backend.newBatch()) {
            for (ClusterMember each : members) {
                batch.put(Bucket.MEMBERS, hex(each.id()), each.toJson());
            }
            batch.put(Bucket.CLUSTER, CLUSTER_ID_KEY, hex(identity.clusterId()));
            batch.put(Bucket.CLUSTER, LOCAL_MEMBER_ID_KEY, hex(member));
            batch.commit();
        }
        return identity;
    }

    /** Whether {@code backend} holds an identity (this member started before). */
    public static boolean isStored(Backend backend) {
        return backend.get(Bucket.CLUSTER, CLUSTER_ID_KEY) != null && backend.get(Bucket.CLUSTER, LOCAL_MEMBER_ID_KEY) != null;
    }

    /**
     * Stores {@code identity} and {@code members} in one atomic batch: what a member joining a
     * running cluster learnt from its peers.
     */
    static void store(Backend backend, MemberIdentity identity, List<ClusterMember> members) {
        try (WriteBatch batch = backend.newBatch()) {
            for (ClusterMember each : members) {
                batch.put(Bucket.MEMBERS, hex(each.id()), each.toJson());
            }
            batch.put(Bucket.CLUSTER, CLUSTER_ID_KEY, hex(identity.clusterId()));
            batch.put(Bucket.CLUSTER, LOCAL_MEMBER_ID_KEY, hex(identity.memberId()));
            batch.commit();
        }
    }

    /** The members stored in {@code backend}'s {@code members} bucket, in unsigned id order. */
    public static List<ClusterMember> loadMembers(Backend backend) {
        List<ClusterMember> members = new ArrayList<>();
        backend.scan(Bucket.MEMBERS, new byte[0], null, (key, value) -> {
            members.add(ClusterMember.fromJson(value));
            return true;
        });
        members.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return members;
    }

    /** An id as etcd prints it: lowercase hex without leading zeros ({@code types.ID.String}). */
    public static String toHex(long id) {
        return Long.toHexString(id);
    }

    private static byte[] hex(long id) {
        return toHex(id).getBytes(StandardCharsets.UTF_8);
    }

    private static long parseHex(byte[] hex) {
        return Long.parseUnsignedLong(new String(hex, StandardCharsets.UTF_8), 16);
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-1", e);
        }
    }

    private static long firstEightBytes(byte[] hash) {
        return ByteBuffer.wrap(hash, 0, 8).getLong();
    }
}
