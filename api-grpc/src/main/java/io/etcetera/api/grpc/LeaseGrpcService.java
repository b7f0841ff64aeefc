package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.LeaseGrpc;
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
import io.etcetera.spi.server.LeaseService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * etcd's {@code etcdserverpb.Lease} gRPC service ({@code etcdserver/api/v3rpc/lease.go}): the
 * unary RPCs are handed to the kernel's {@link LeaseService} unchanged; {@code LeaseKeepAlive}
 * is a stream on which each request is one renewal, answered {ID, TTL} in order (TTL 0 for a
 * lease that is gone, as the facade answers). A failure other than that (the member stopping,
 * not being the leader) ends the stream with its status, as etcd does. The stream takes one
 * request at a time from the client: the next is read only once the previous one is answered, so
 * a client that sends faster than renewals are answered is held back by HTTP/2 flow control,
 * not buffered. Thread-safe.
 */
final class LeaseGrpcService extends LeaseGrpc.LeaseImplBase {
    private final LeaseService lease;
    private final UnaryResponder responder;
    private final Executor responseExecutor;

    LeaseGrpcService(LeaseService lease, UnaryResponder responder, Executor responseExecutor) {
        this.lease = Objects.requireNonNull(lease, "lease");
        this.responder = Objects.requireNonNull(responder, "responder");
        this.responseExecutor = Objects.requireNonNull(responseExecutor, "responseExecutor");
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
        responder.reply(() -> lease.grant(request), observer);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
        responder.reply(() -> lease.revoke(request), observer);
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
        responder.reply(() -> lease.timeToLive(request), observer);
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> observer) {
        responder.reply(() -> lease.leases(request), observer);
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> observer) {
        ServerCallStreamObserver<LeaseKeepAliveResponse> call = (ServerCallStreamObserver<LeaseKeepAliveResponse>) observer;
        call.disableAutoRequest();
        call.request(1);
        return new KeepAliveStream(call);
    }

    /** One keep-alive stream: at most one renewal in flight; responses written on the response executor. */
    private final class KeepAliveStream implements StreamObserver<LeaseKeepAliveRequest> {
        private final ServerCallStreamObserver<LeaseKeepAliveResponse> call;
        // guarded by this
        private boolean renewing;
        private boolean clientDone;
        private boolean ended;

        KeepAliveStream(ServerCallStreamObserver<LeaseKeepAliveResponse> call) {
            this.call = call;
        }

        @Override
        public void onNext(LeaseKeepAliveRequest request) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                renewing = true;
            }
            CompletableFuture<LeaseKeepAliveResponse> renewal;
            try {
                renewal = Objects.requireNonNull(lease.keepAlive(request), "the service returned no future");
            } catch (RuntimeException e) {
                renewal = CompletableFuture.failedFuture(e);
            }
            renewal.whenCompleteAsync(this::answer, responseExecutor);
        }

        private void answer(LeaseKeepAliveResponse response, Throwable failure) {
            synchronized (this) {
                renewing = false;
                if (ended || call.isCancelled()) {
                    ended = true;
                    return;
                }
                if (failure != null || response == null) {
                    ended = true;
                    call.onError(GrpcStatuses.toStatusException(failure != null ? failure
                            : new IllegalStateException("the service completed a keep-alive with no response")));
                    return;
                }
                call.onNext(response);
                if (clientDone) {
                    ended = true;
                    call.onCompleted();
                    return;
                }
            }
            call.request(1);
        }

        @Override
        public synchronized void onError(Throwable t) {
            // the client cancelled or the connection broke: nothing more can be sent
            ended = true;
        }

        @Override
        public synchronized void onCompleted() {
            clientDone = true;
            if (!renewing && !ended) {
                ended = true;
                call.onCompleted();
            }
        }
    }
}
