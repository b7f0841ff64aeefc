package io.etcetera.spi.storage;

/**
 * The backend's buckets, as etcd's bbolt backend names them. Each bucket is an independent,
 * byte-ordered key space; keys of different buckets never collide.
 *
 * <p>The {@link #id()} is stable: engines may persist it (as a column family name, a key prefix
 * or a file name), so it must never change for an existing constant.
 */
public enum Bucket {
    /** MVCC revisions: 17-byte revision key to serialized {@code mvccpb.KeyValue}. */
    KEY("key", (byte) 1),
    /** Store metadata: consistent index, scheduled and finished compaction revisions. */
    META("meta", (byte) 2),
    /** Leases: lease id to serialized lease. */
    LEASE("lease", (byte) 3),
    /** Raised alarms (NOSPACE, CORRUPT). */
    ALARM("alarm", (byte) 4),
    /** Auth store state (enabled flag, auth revision). */
    AUTH("auth", (byte) 5),
    /** Auth users. */
    AUTH_USERS("authUsers", (byte) 6),
    /** Auth roles. */
    AUTH_ROLES("authRoles", (byte) 7),
    /** Cluster members. */
    MEMBERS("members", (byte) 8),
    /** Cluster-wide settings (cluster version). */
    CLUSTER("cluster", (byte) 9);

    private final String id;
    private final byte tag;

    Bucket(String id, byte tag) {
        this.id = id;
        this.tag = tag;
    }

    /** The bucket's name in etcd (and in engines that name buckets, e.g. a column family). */
    public String id() {
        return id;
    }

    /** A one-byte tag for engines that keep all buckets in one key space as prefixes. */
    public byte tag() {
        return tag;
    }
}
