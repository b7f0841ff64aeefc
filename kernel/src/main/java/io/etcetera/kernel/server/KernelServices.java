package io.etcetera.kernel.server;

import io.etcetera.spi.server.ClusterService;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.MaintenanceService;

/**
 * The facades the kernel hands API front ends.
 *
 * @param kv the KV service
 * @param lease the lease service
 * @param cluster the cluster (membership) service
 * @param maintenance the maintenance service
 */
public record KernelServices(KvService kv, LeaseService lease, ClusterService cluster, MaintenanceService maintenance)
        implements EtcdServices {
}
