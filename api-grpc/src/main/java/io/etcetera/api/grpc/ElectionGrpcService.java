package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.v3election.ElectionGrpc;
import io.etcetera.spi.server.ElectionService;
import io.etcetera.spi.v3electionpb.CampaignRequest;
import io.etcetera.spi.v3electionpb.CampaignResponse;
import io.etcetera.spi.v3electionpb.LeaderRequest;
import io.etcetera.spi.v3electionpb.LeaderResponse;
import io.etcetera.spi.v3electionpb.ProclaimRequest;
import io.etcetera.spi.v3electionpb.ProclaimResponse;
import io.etcetera.spi.v3electionpb.ResignRequest;
import io.etcetera.spi.v3electionpb.ResignResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd's {@code v3electionpb.Election} gRPC service ({@code etcdserver/api/v3election/election.go})
 * on the kernel's {@link ElectionService}. Errors of the election itself ("election: not
 * leader", "election: no leader", the missing leader field) reach the client as
 * {@code UNKNOWN} with etcd's text, as grpc-go sends etcd's plain errors. A cancelled
 * {@code Campaign} resigns. {@code Observe} streams leader changes until the client cancels;
 * when the kernel ends the observation the call completes normally, as etcd's does;
 * {@link #closeAll} ends every open observation so a shutdown does not wait for them.
 * Thread-safe.
 */
final class ElectionGrpcService extends ElectionGrpc.ElectionImplBase {
    private final ElectionService election;
    private final UnaryResponder responder;
    private final Set<ObserveCall> open = ConcurrentHashMap.newKeySet();

    ElectionGrpcService(ElectionService election, UnaryResponder responder) {
        this.election = Objects.requireNonNull(election, "election");
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> observer) {
        responder.replyCancellable(() -> election.campaign(request), observer);
    }

    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> observer) {
        responder.reply(() -> election.proclaim(request), observer);
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
        responder.reply(() -> election.leader(request), observer);
    }

    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> observer) {
        responder.reply(() -> election.resign(request), observer);
    }

    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
        ObserveCall call = new ObserveCall((ServerCallStreamObserver<LeaderResponse>) observer);
        call.call.setOnCancelHandler(call::clientGone);
        open.add(call);
        try {
            call.observation = election.observe(request, call);
        } catch (RuntimeException e) {
            open.remove(call);
            observer.onError(GrpcStatuses.toStatusException(e));
            return;
        }
        if (call.isEnded()) {
            call.observation.close();
        }
    }

    /** Ends every open Observe call (the member is stopping). */
    void closeAll() {
        for (ObserveCall call : open) {
            call.onEnd();
        }
    }

    /** One Observe call: the kernel's sink, writing to the gRPC call until either side ends. */
    private final class ObserveCall implements ElectionService.LeaderSink {
        private final ServerCallStreamObserver<LeaderResponse> call;
        private volatile ElectionService.Observation observation;
        // guarded by this
        private boolean ended;

        ObserveCall(ServerCallStreamObserver<LeaderResponse> call) {
            this.call = call;
        }

        @Override
        public synchronized void onLeader(LeaderResponse response) {
            if (!ended) {
                call.onNext(response);
            }
        }

        @Override
        public void onEnd() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                call.onCompleted();
            }
            stop();
        }

        void clientGone() {
            synchronized (this) {
                ended = true;
            }
            stop();
        }

        synchronized boolean isEnded() {
            return ended;
        }

        private void stop() {
            open.remove(this);
            ElectionService.Observation started = observation;
            if (started != null) {
                started.close();
            }
        }
    }
}
