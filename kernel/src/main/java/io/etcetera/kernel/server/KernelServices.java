package io.etcetera.kernel.server;

import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;

/**
 * The facades the kernel hands API front ends.
 *
 * @param kv the KV service
 * @param lease the lease service
 */
public record KernelServices(KvService kv, LeaseService lease) implements EtcdServices {
}
