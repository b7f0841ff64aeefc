package io.etcetera.spi.server;

import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseLeasesRequest;
import io.etcetera.spi.etcdserverpb.LeaseLeasesResponse;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The kernel's lease facade, etcd's {@code etcdserverpb.Lease} service without a transport, with
 * the answers etcd 3.4's gRPC layer gives ({@code etcdserver/api/v3rpc/lease.go},
 * {@code etcdserver/v3_server.go}). TTLs are in seconds; lease ids are signed 64-bit, 0 meaning
 * "no lease". Responses carry a filled {@code ResponseHeader} {cluster_id, member_id, revision,
 * raft_term}.
 *
 * <p>Every method returns at once; the future completes when the request is answered. Grant and
 * revoke complete only after their log entry is fsync'd and applied. Failures complete the
 * future exceptionally with {@link io.etcetera.spi.error.EtcdException}:
 * {@code LEASE_NOT_FOUND} ("etcdserver: requested lease not found"), {@code LEASE_EXIST}
 * ("etcdserver: lease already exists"), {@code LEASETTL_TOO_LARGE} ("etcdserver: too large lease
 * TTL"), or a server error such as {@code STOPPED}. Thread-safe.
 */
public interface LeaseService {

    /**
     * Grants a lease (etcd {@code Lease.LeaseGrant}). With {@code ID} 0 the server picks a
     * positive id. A {@code TTL} below the server's minimum (2 s with etcd's default timing) is
     * raised to it; the response carries the TTL granted.
     * Fails with LEASE_EXIST for an id in use, LEASETTL_TOO_LARGE above 9,000,000,000 s.
     */
    CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request);

    /**
     * Revokes a lease and deletes every key attached to it, all at one revision (etcd
     * {@code Lease.LeaseRevoke}). Fails with LEASE_NOT_FOUND for an unknown lease.
     */
    CompletableFuture<LeaseRevokeResponse> revoke(LeaseRevokeRequest request);

    /**
     * One renewal of a keep-alive stream (etcd {@code Lease.LeaseKeepAlive}, one request): the
     * lease's remaining time is reset to its granted TTL, which the response carries. An unknown,
     * revoked or expired lease answers {@code TTL} 0, not an error, as etcd does; the front end
     * drives the stream and sends one response per request, in order.
     */
    CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request);

    /**
     * A lease's granted TTL, remaining TTL (whole seconds, truncated) and, when {@code keys} is
     * set, its attached keys in byte order (etcd {@code Lease.LeaseTimeToLive}). An unknown lease
     * answers {@code TTL} -1 and {@code grantedTTL} 0, not an error, as etcd does.
     */
    CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request);

    /** Every lease not yet revoked, soonest to expire first (etcd {@code Lease.LeaseLeases}). */
    CompletableFuture<LeaseLeasesResponse> leases(LeaseLeasesRequest request);
}
