package io.etcetera.spi.server;

/**
 * The set of service facades the kernel offers to API front ends. Later capabilities (watch,
 * lease, cluster, maintenance, auth) add accessors here. Thread-safe.
 */
public interface EtcdServices {

    /** The KV service. */
    KvService kv();

    /** The lease service. */
    LeaseService lease();

    /** The cluster (membership) service. */
    ClusterService cluster();

    /** The maintenance service. */
    MaintenanceService maintenance();
}
