package io.etcetera.kernel.server;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster's members as of the applied index (etcd's {@code membership.RaftCluster}): every
 * member ({@link ClusterMember}, in unsigned id order) and the ids removed from the cluster,
 * which may never come back (etcd's {@code members_removed} bucket).
 *
 * <p>Stored in the backend: each member as etcd's member JSON under its hex id in
 * {@link Bucket#MEMBERS}; each removed id as the key {@code membersRemoved/<hex id>} (value
 * {@code removed}) in {@link Bucket#CLUSTER} — the SPI has no {@code members_removed} bucket.
 *
 * <p>Changes come from the apply thread only ({@link MembershipApplier}): it writes them into the
 * batch that also stores the consistent index with {@link #write}, and publishes the new
 * {@link Members} with {@link #set} once that batch committed. Readers on any thread see one
 * consistent {@link Members} value. Thread-safe.
 */
final class Membership {

    private static final String REMOVED_PREFIX = "membersRemoved/";
    private static final byte[] REMOVED_VALUE = "removed".getBytes(StandardCharsets.UTF_8);

    /**
     * One immutable view of the membership.
     *
     * @param byId the members by id, in unsigned id order
     * @param removed the ids removed from the cluster
     */
    record Members(Map<Long, ClusterMember> byId, Set<Long> removed) {

        Members {
            TreeMap<Long, ClusterMember> sorted = new TreeMap<>(Long::compareUnsigned);
            sorted.putAll(byId);
            byId = Collections.unmodifiableMap(sorted);
            removed = Set.copyOf(removed);
        }

        /** Every member, in unsigned id order. */
        List<ClusterMember> list() {
            return List.copyOf(byId.values());
        }

        /** The voting members (not learners), in unsigned id order. */
        List<ClusterMember> voters() {
            return byId.values().stream().filter(m -> !m.isLearner()).toList();
        }

        Optional<ClusterMember> member(long id) {
            return Optional.ofNullable(byId.get(id));
        }

        /** These members with {@code member} added or replaced. */
        Members with(ClusterMember member) {
            Map<Long, ClusterMember> next = new TreeMap<>(byId);
            next.put(member.id(), member);
            return new Members(next, removed);
        }

        /** These members without {@code id}, which is remembered as removed. */
        Members without(long id) {
            Map<Long, ClusterMember> next = new TreeMap<>(byId);
            next.remove(id);
            Set<Long> gone = new HashSet<>(removed);
            gone.add(id);
            return new Members(next, gone);
        }
    }

    private volatile Members current;

    Membership(Members initial) {
        this.current = initial;
    }

    /** The membership stored in {@code backend}. */
    static Membership load(Backend backend) {
        Map<Long, ClusterMember> members = new TreeMap<>(Long::compareUnsigned);
        for (ClusterMember member : MemberIdentity.loadMembers(backend)) {
            members.put(member.id(), member);
        }
        Set<Long> removed = new HashSet<>();
        byte[] prefix = REMOVED_PREFIX.getBytes(StandardCharsets.UTF_8);
        backend.scan(Bucket.CLUSTER, prefix, prefixEnd(prefix), (key, value) -> {
            String hex = new String(key, StandardCharsets.UTF_8).substring(REMOVED_PREFIX.length());
            removed.add(Long.parseUnsignedLong(hex, 16));
            return true;
        });
        return new Membership(new Members(members, removed));
    }

    /** The membership now. */
    Members current() {
        return current;
    }

    /** Every member, in unsigned id order. */
    List<ClusterMember> members() {
        return current.list();
    }

    /** Whether {@code id} was removed from the cluster (etcd's {@code IsIDRemoved}). */
    boolean isRemoved(long id) {
        return current.removed().contains(id);
    }

    /**
     * Writes the difference between the current membership and {@code next} into {@code batch}.
     * Apply thread only; call {@link #set} once the batch committed.
     */
    void write(WriteBatch batch, Members next) {
        Members now = current;
        for (ClusterMember member : next.byId().values()) {
            if (!member.equals(now.byId().get(member.id()))) {
                batch.put(Bucket.MEMBERS, hex(member.id()), member.toJson());
            }
        }
        for (Long id : now.byId().keySet()) {
            if (!next.byId().containsKey(id)) {
                batch.delete(Bucket.MEMBERS, hex(id));
            }
        }
        for (Long id : next.removed()) {
            if (!now.removed().contains(id)) {
                batch.put(Bucket.CLUSTER, (REMOVED_PREFIX + MemberIdentity.toHex(id)).getBytes(StandardCharsets.UTF_8),
                        REMOVED_VALUE);
            }
        }
    }

    /**
     * Reads the membership {@code backend} holds again and publishes it: after the backend was
     * replaced by a Raft snapshot. Apply thread only.
     *
     * @return the membership before and after, for the caller to follow (transport peers)
     */
    Members[] reload(Backend backend) {
        Members before = current;
        Members after = load(backend).current();
        current = after;
        return new Members[] {before, after};
    }

    /** Publishes {@code next} to readers. Apply thread only (or before the member starts). */
    void set(Members next) {
        this.current = next;
    }

    private static byte[] hex(long id) {
        return MemberIdentity.toHex(id).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        end[end.length - 1]++;
        return end;
    }
}
