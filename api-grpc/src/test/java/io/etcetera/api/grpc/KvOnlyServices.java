package io.etcetera.api.grpc;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.WatchService;

/**
 * Services for front-end tests of KV alone: the given KV service, and a Watch service that
 * refuses every stream with {@code etcdserver: not capable}, as a member without watch would.
 */
record KvOnlyServices(KvService kv) implements EtcdServices {

    @Override
    public WatchService watch() {
        return sink -> {
            throw EtcdError.NOT_CAPABLE.exception();
        };
    }
}
