package io.etcetera.api.grpc;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.LeaseGrantRequest;
import io.etcetera.spi.etcdserverpb.LeaseGrantResponse;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.etcetera.spi.etcdserverpb.LeaseLeasesRequest;
import io.etcetera.spi.etcdserverpb.LeaseLeasesResponse;
import io.etcetera.spi.etcdserverpb.LeaseRevokeRequest;
import io.etcetera.spi.etcdserverpb.LeaseRevokeResponse;
import io.etcetera.spi.etcdserverpb.LeaseStatus;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcetera.spi.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.server.LeaseService;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link LeaseService} test double with a map of leases (id to TTL, which never runs down) and
 * etcd's answers for unknown leases. Keep-alives can be scripted with {@link #keepAliveWith}.
 * Records keep-alive requests. Thread-safe.
 */
final class MapLeaseService implements LeaseService {
    static final long FIRST_ID = 0x694d7c6b4e1f2a01L;
    static final ResponseHeader HEADER = ResponseHeader.newBuilder()
            .setClusterId(MapKvService.CLUSTER_ID).setMemberId(MapKvService.MEMBER_ID)
            .setRevision(1).setRaftTerm(MapKvService.RAFT_TERM).build();

    private final Map<Long, Long> ttls = new TreeMap<>();
    private final Map<Long, List<ByteString>> keys = new TreeMap<>();
    private final List<LeaseKeepAliveRequest> keepAlives = new CopyOnWriteArrayList<>();
    private long nextId = FIRST_ID;
    private volatile Function<LeaseKeepAliveRequest, CompletableFuture<LeaseKeepAliveResponse>> keepAlive = this::renew;

    /** Attaches {@code key} to lease {@code id}, as a put with that lease would. */
    synchronized void attach(long id, String key) {
        keys.computeIfAbsent(id, ignored -> new CopyOnWriteArrayList<>()).add(ByteString.copyFromUtf8(key));
    }

    /** Answers every following keep-alive with {@code answer}. */
    void keepAliveWith(Function<LeaseKeepAliveRequest, CompletableFuture<LeaseKeepAliveResponse>> answer) {
        this.keepAlive = answer;
    }

    /** The keep-alive requests received so far, in order. */
    List<LeaseKeepAliveRequest> keepAlives() {
        return List.copyOf(keepAlives);
    }

    @Override
    public synchronized CompletableFuture<LeaseGrantResponse> grant(LeaseGrantRequest request) {
        long id = request.getID() != 0 ? request.getID() : nextId++;
        if (ttls.containsKey(id)) {
            return CompletableFuture.failedFuture(EtcdError.LEASE_EXIST.exception());
        }
        long ttl = Math.max(2, request.getTTL());
        ttls.put(id, ttl);
        return CompletableFuture.completedFuture(
                LeaseGrantResponse.newBuilder().setHeader(HEADER).setID(id).setTTL(ttl).build());
    }

    @Override
    public synchronized CompletableFuture<LeaseRevokeResponse> revoke(LeaseRevokeRequest request) {
        if (ttls.remove(request.getID()) == null) {
            return CompletableFuture.failedFuture(EtcdError.LEASE_NOT_FOUND.exception());
        }
        keys.remove(request.getID());
        return CompletableFuture.completedFuture(LeaseRevokeResponse.newBuilder().setHeader(HEADER).build());
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
        keepAlives.add(request);
        return keepAlive.apply(request);
    }

    private synchronized CompletableFuture<LeaseKeepAliveResponse> renew(LeaseKeepAliveRequest request) {
        return CompletableFuture.completedFuture(LeaseKeepAliveResponse.newBuilder().setHeader(HEADER)
                .setID(request.getID()).setTTL(ttls.getOrDefault(request.getID(), 0L)).build());
    }

    @Override
    public synchronized CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
        LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder().setHeader(HEADER)
                .setID(request.getID());
        Long ttl = ttls.get(request.getID());
        if (ttl == null) {
            response.setTTL(-1);
        } else {
            response.setTTL(ttl - 1).setGrantedTTL(ttl);
            if (request.getKeys()) {
                response.addAllKeys(keys.getOrDefault(request.getID(), List.of()));
            }
        }
        return CompletableFuture.completedFuture(response.build());
    }

    @Override
    public synchronized CompletableFuture<LeaseLeasesResponse> leases(LeaseLeasesRequest request) {
        LeaseLeasesResponse.Builder response = LeaseLeasesResponse.newBuilder().setHeader(HEADER);
        ttls.keySet().forEach(id -> response.addLeases(LeaseStatus.newBuilder().setID(id)));
        return CompletableFuture.completedFuture(response.build());
    }
}
