package io.etcetera.api.grpc;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.WatchService;

/**
 * The facades handed to a front end under test. Watch is not part of these tests: its service
 * refuses every stream with {@code etcdserver: not capable} (WatchGrpcServiceTest runs the real
 * kernel instead).
 */
record TestServices(KvService kv, LeaseService lease) implements EtcdServices {

    /** {@code kv} with a fresh {@link MapLeaseService}. */
    static TestServices of(KvService kv) {
        return new TestServices(kv, new MapLeaseService());
    }

    @Override
    public WatchService watch() {
        return sink -> {
            throw EtcdError.NOT_CAPABLE.exception();
        };
    }
}
