package io.etcetera.api.grpc;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.MemberAddRequest;
import io.etcetera.spi.etcdserverpb.MemberAddResponse;
import io.etcetera.spi.etcdserverpb.MemberListRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.etcdserverpb.MemberPromoteRequest;
import io.etcetera.spi.etcdserverpb.MemberPromoteResponse;
import io.etcetera.spi.etcdserverpb.MemberRemoveRequest;
import io.etcetera.spi.etcdserverpb.MemberRemoveResponse;
import io.etcetera.spi.etcdserverpb.MemberUpdateRequest;
import io.etcetera.spi.etcdserverpb.MemberUpdateResponse;
import io.etcetera.spi.etcdserverpb.MoveLeaderRequest;
import io.etcetera.spi.etcdserverpb.MoveLeaderResponse;
import io.etcetera.spi.etcdserverpb.StatusRequest;
import io.etcetera.spi.etcdserverpb.StatusResponse;
import io.etcetera.spi.server.ClusterService;
import io.etcetera.spi.server.ElectionService;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.LockService;
import io.etcetera.spi.server.MaintenanceService;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.v3electionpb.CampaignRequest;
import io.etcetera.spi.v3electionpb.CampaignResponse;
import io.etcetera.spi.v3electionpb.LeaderRequest;
import io.etcetera.spi.v3electionpb.LeaderResponse;
import io.etcetera.spi.v3electionpb.ProclaimRequest;
import io.etcetera.spi.v3electionpb.ProclaimResponse;
import io.etcetera.spi.v3electionpb.ResignRequest;
import io.etcetera.spi.v3electionpb.ResignResponse;
import io.etcetera.spi.v3lockpb.LockRequest;
import io.etcetera.spi.v3lockpb.LockResponse;
import io.etcetera.spi.v3lockpb.UnlockRequest;
import io.etcetera.spi.v3lockpb.UnlockResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The facades handed to a front end under test: no members, and a status naming only the
 * version. Watch, Lock and Election are not part of these tests: their services refuse every
 * call with {@code etcdserver: not capable} (WatchGrpcServiceTest and LockElectionGrpcServiceTest
 * run the real kernel instead).
 */
record TestServices(KvService kv, LeaseService lease, ClusterService cluster, MaintenanceService maintenance,
                    boolean isLearner, boolean hasLeader) implements EtcdServices {

    /** {@code kv} with a fresh {@link MapLeaseService}. */
    static TestServices of(KvService kv) {
        return of(kv, new MapLeaseService());
    }

    /** {@code kv} and {@code lease}, no members, and a status naming only the version. */
    static TestServices of(KvService kv, LeaseService lease) {
        return new TestServices(kv, lease, new NoMembers(), new VersionOnlyStatus(), false, true);
    }

    /** These services on a member that is a learner. */
    TestServices asLearner() {
        return new TestServices(kv, lease, cluster, maintenance, true, hasLeader);
    }

    @Override
    public long electionTimeoutMs() {
        return 1000;
    }

    /** These services on a member that knows no leader. */
    TestServices withoutLeader() {
        return new TestServices(kv, lease, cluster, maintenance, isLearner, false);
    }

    /** No members; membership changes are refused with {@code etcdserver: not capable}. */
    private static final class NoMembers implements ClusterService {
        @Override
        public CompletableFuture<MemberListResponse> memberList(MemberListRequest request) {
            return CompletableFuture.completedFuture(MemberListResponse.getDefaultInstance());
        }

        @Override
        public CompletableFuture<MemberAddResponse> memberAdd(MemberAddRequest request) {
            return notCapable();
        }

        @Override
        public CompletableFuture<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
            return notCapable();
        }

        @Override
        public CompletableFuture<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
            return notCapable();
        }

        @Override
        public CompletableFuture<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
            return notCapable();
        }
    }

    /** A status naming only the version; MoveLeader is refused with {@code etcdserver: not capable}. */
    private static final class VersionOnlyStatus implements MaintenanceService {
        @Override
        public CompletableFuture<StatusResponse> status(StatusRequest request) {
            return CompletableFuture.completedFuture(StatusResponse.newBuilder().setVersion("3.4.23").build());
        }

        @Override
        public CompletableFuture<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
            return notCapable();
        }
    }

    @Override
    public WatchService watch() {
        return sink -> {
            throw EtcdError.NOT_CAPABLE.exception();
        };
    }

    @Override
    public LockService lock() {
        return new LockService() {
            @Override
            public CompletableFuture<LockResponse> lock(LockRequest request) {
                return notCapable();
            }

            @Override
            public CompletableFuture<UnlockResponse> unlock(UnlockRequest request) {
                return notCapable();
            }
        };
    }

    @Override
    public ElectionService election() {
        return new ElectionService() {
            @Override
            public CompletableFuture<CampaignResponse> campaign(CampaignRequest request) {
                return notCapable();
            }

            @Override
            public CompletableFuture<ProclaimResponse> proclaim(ProclaimRequest request) {
                return notCapable();
            }

            @Override
            public CompletableFuture<LeaderResponse> leader(LeaderRequest request) {
                return notCapable();
            }

            @Override
            public Observation observe(LeaderRequest request, LeaderSink sink) {
                throw EtcdError.NOT_CAPABLE.exception();
            }

            @Override
            public CompletableFuture<ResignResponse> resign(ResignRequest request) {
                return notCapable();
            }
        };
    }

    private static <T> CompletableFuture<T> notCapable() {
        return CompletableFuture.failedFuture(EtcdError.NOT_CAPABLE.exception());
    }
}
