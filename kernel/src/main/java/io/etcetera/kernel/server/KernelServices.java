package io.etcetera.kernel.server;

import io.etcetera.kernel.concurrency.ElectionServer;
import io.etcetera.kernel.concurrency.LockServer;
import io.etcetera.spi.server.ElectionService;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.LockService;
import io.etcetera.spi.server.WatchService;

/**
 * The facades the kernel hands API front ends.
 *
 * @param kv the KV service
 * @param lease the lease service
 * @param watch the Watch service
 * @param lock the Lock service
 * @param election the Election service
 */
public record KernelServices(KvService kv, LeaseService lease, WatchService watch, LockService lock,
                             ElectionService election) implements EtcdServices {

    /** The services on {@code kv}, {@code lease} and {@code watch}, with Lock and Election built on them. */
    public static KernelServices of(KvService kv, LeaseService lease, WatchService watch) {
        return new KernelServices(kv, lease, watch, new LockServer(kv, lease, watch), new ElectionServer(kv, lease, watch));
    }
}
