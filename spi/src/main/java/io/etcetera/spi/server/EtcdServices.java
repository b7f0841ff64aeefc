package io.etcetera.spi.server;

/**
 * The set of service facades the kernel offers to API front ends. Later capabilities (lease,
 * cluster, maintenance, auth) add accessors here. Thread-safe.
 */
public interface EtcdServices {

    /** The KV service. */
    KvService kv();

    /** The lease service. */
    LeaseService lease();

    /** The Watch service. */
    WatchService watch();

    /** The Lock service (etcd {@code v3lockpb.Lock}). */
    LockService lock();

    /** The Election service (etcd {@code v3electionpb.Election}). */
    ElectionService election();

    /** The cluster (membership) service. */
    ClusterService cluster();

    /** The maintenance service. */
    MaintenanceService maintenance();

    /**
     * Whether this member is a learner now (etcd's {@code EtcdServer.IsLearner}). A learner serves
     * only {@code Maintenance.Status} and serializable ranges; front ends refuse every other
     * request with {@link io.etcetera.spi.error.EtcdError#NOT_SUPPORTED_FOR_LEARNER}. Cheap enough
     * to ask on every request; changes when the member is promoted.
     */
    boolean isLearner();

    /**
     * Whether this member knows a leader now (etcd's {@code EtcdServer.Leader() != raft.None}).
     * A request carrying etcd's {@code hasleader: true} metadata (clientv3's
     * {@code WithRequireLeader}, used by etcdctl's watch) is refused with
     * {@link io.etcetera.spi.error.EtcdError#NO_LEADER} while this is false. Cheap enough to ask on
     * every request.
     */
    boolean hasLeader();

    /**
     * The election timeout, in ms ({@code --election-timeout}): a front end checks
     * {@link #hasLeader()} at this period and ends the open streams that require a leader once
     * three checks in a row found none (etcd's {@code monitorLeader}).
     */
    long electionTimeoutMs();
}
