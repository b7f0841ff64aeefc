package io.etcetera.kernel.server;

import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;

/**
 * The facades the kernel hands API front ends.
 *
 * @param kv the KV service
 */
public record KernelServices(KvService kv) implements EtcdServices {
}
