package io.etcetera.kernel.server;

import io.etcetera.kernel.concurrency.ElectionServer;
import io.etcetera.kernel.concurrency.LockServer;
import io.etcetera.spi.server.ClusterService;
import io.etcetera.spi.server.ElectionService;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.LockService;
import io.etcetera.spi.server.MaintenanceService;
import io.etcetera.spi.server.WatchService;
import java.util.function.BooleanSupplier;

/**
 * The facades the kernel hands API front ends.
 *
 * @param kv the KV service
 * @param lease the lease service
 * @param watch the Watch service
 * @param lock the Lock service
 * @param election the Election service
 * @param cluster the cluster (membership) service
 * @param maintenance the maintenance service
 * @param learner whether this member is a learner now
 * @param leaderKnown whether this member knows a leader now
 * @param electionTimeoutMs the election timeout, in ms
 */
public record KernelServices(KvService kv, LeaseService lease, WatchService watch, LockService lock,
                             ElectionService election, ClusterService cluster, MaintenanceService maintenance,
                             BooleanSupplier learner, BooleanSupplier leaderKnown,
                             long electionTimeoutMs)
        implements EtcdServices {

    /** The services on {@code kv}, {@code lease} and {@code watch}, with Lock and Election built on them. */
    public static KernelServices of(KvService kv, LeaseService lease, WatchService watch, ClusterService cluster,
            MaintenanceService maintenance, BooleanSupplier learner, BooleanSupplier leaderKnown,
            long electionTimeoutMs) {
        return new KernelServices(kv, lease, watch, new LockServer(kv, lease, watch), new ElectionServer(kv, lease, watch),
                cluster, maintenance, learner, leaderKnown, electionTimeoutMs);
    }

    @Override
    public boolean isLearner() {
        return learner.getAsBoolean();
    }

    @Override
    public boolean hasLeader() {
        return leaderKnown.getAsBoolean();
    }
}
