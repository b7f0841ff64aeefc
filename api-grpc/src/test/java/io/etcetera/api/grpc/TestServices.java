package io.etcetera.api.grpc;

import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import io.etcetera.spi.server.ClusterService;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.MaintenanceService;
import java.util.concurrent.CompletableFuture;

/** The facades handed to a front end under test. */
record TestServices(KvService kv, LeaseService lease, ClusterService cluster, MaintenanceService maintenance)
        implements EtcdServices {

    /** {@code kv} with a fresh {@link MapLeaseService}. */
    static TestServices of(KvService kv) {
        return of(kv, new MapLeaseService());
    }

    /** {@code kv} and {@code lease}, no members, and a status naming only the version. */
    static TestServices of(KvService kv, LeaseService lease) {
        return new TestServices(kv, lease,
                request -> CompletableFuture.completedFuture(MemberListResponse.getDefaultInstance()),
                request -> CompletableFuture.completedFuture(StatusResponse.newBuilder().setVersion("3.4.23").build()));
    }
}
