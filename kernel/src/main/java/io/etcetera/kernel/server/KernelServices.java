package io.etcetera.kernel.server;

import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.WatchService;

/**
 * The facades the kernel hands API front ends.
 *
 * @param kv the KV service
 * @param lease the lease service
 * @param watch the Watch service
 */
public record KernelServices(KvService kv, LeaseService lease, WatchService watch) implements EtcdServices {
}
