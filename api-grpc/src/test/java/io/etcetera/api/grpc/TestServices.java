package io.etcetera.api.grpc;

import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;

/** The facades handed to a front end under test. */
record TestServices(KvService kv, LeaseService lease) implements EtcdServices {

    /** {@code kv} with a fresh {@link MapLeaseService}. */
    static TestServices of(KvService kv) {
        return new TestServices(kv, new MapLeaseService());
    }
}
