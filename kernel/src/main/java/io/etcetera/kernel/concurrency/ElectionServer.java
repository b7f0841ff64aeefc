package io.etcetera.kernel.concurrency;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.server.ElectionService;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.LeaseService;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.v3electionpb.CampaignRequest;
import io.etcetera.spi.v3electionpb.CampaignResponse;
import io.etcetera.spi.v3electionpb.LeaderKey;
import io.etcetera.spi.v3electionpb.LeaderRequest;
import io.etcetera.spi.v3electionpb.LeaderResponse;
import io.etcetera.spi.v3electionpb.ProclaimRequest;
import io.etcetera.spi.v3electionpb.ProclaimResponse;
import io.etcetera.spi.v3electionpb.ResignRequest;
import io.etcetera.spi.v3electionpb.ResignResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link ElectionService} facade: etcd 3.4's {@code v3election} server over
 * {@code concurrency.Election}, on the kernel's KV, Lease and Watch facades.
 *
 * <ul>
 *   <li>Campaign: txn {@code if create_revision(key) == 0 then put(key, value, lease) else
 *       get(key)}; the leader revision is the txn's revision, or the existing key's
 *       create_revision (whose value is proclaimed if it differs); then {@link DeletionWait}
 *       for every candidate created before. The response header is the campaign txn's. A
 *       cancelled campaign resigns; a failed one leaves its key, as etcd.</li>
 *   <li>Proclaim / Resign: txn guarded by {@code create_revision(key) == rev}; a failed
 *       proclaim is {@code ELECTION_NOT_LEADER}, a failed resign is not an error.</li>
 *   <li>Leader: the first created key under the prefix, else {@code ELECTION_NO_LEADER}.</li>
 *   <li>Observe: {@link LeaderObservation}.</li>
 * </ul>
 * Thread-safe.
 */
public final class ElectionServer implements ElectionService {
    private final KvService kv;
    private final LeaseService leases;
    private final WatchService watches;

    /** An election service on the given facades. */
    public ElectionServer(KvService kv, LeaseService leases, WatchService watches) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.watches = Objects.requireNonNull(watches, "watches");
    }

    @Override
    public CompletableFuture<CampaignResponse> campaign(CampaignRequest request) {
        ByteString prefix = CandidateKeys.prefix(request.getName());
        CompletableFuture<CampaignResponse> result = new CompletableFuture<>();
        Sessions.leaseFor(leases, request.getLease()).thenCompose(lease -> {
            ByteString key = CandidateKeys.candidate(prefix, lease);
            return kv.txn(TxnRequest.newBuilder()
                    .addCompare(CandidateKeys.createRevisionIs(key, 0))
                    .addSuccess(CandidateKeys.put(key, request.getValue(), lease))
                    .addFailure(CandidateKeys.get(key))
                    .build()).thenCompose(txn -> standFor(request, key, lease, txn));
        }).whenComplete((candidate, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                awaitLeadership(prefix, candidate, result);
            }
        });
        return result;
    }

    /** The candidate's leader key, after proclaiming the campaign's value on a key that held another. */
    private CompletableFuture<Candidate> standFor(CampaignRequest request, ByteString key, long lease, TxnResponse txn) {
        LeaderKey.Builder leader = LeaderKey.newBuilder().setName(request.getName()).setKey(key).setLease(lease);
        if (txn.getSucceeded()) {
            return CompletableFuture.completedFuture(new Candidate(leader.setRev(txn.getHeader().getRevision()).build(), txn.getHeader()));
        }
        KeyValue existing = txn.getResponses(0).getResponseRange().getKvs(0);
        Candidate candidate = new Candidate(leader.setRev(existing.getCreateRevision()).build(), txn.getHeader());
        if (existing.getValue().equals(request.getValue())) {
            return CompletableFuture.completedFuture(candidate);
        }
        return proclaim(candidate.leader(), request.getValue())
                .handle((header, failure) -> failure)
                .thenCompose(failure -> failure == null ? CompletableFuture.completedFuture(candidate)
                        : resign(candidate.leader()).handle((header, ignored) -> header)
                                .thenCompose(ignored -> CompletableFuture.<Candidate>failedFuture(failure)));
    }

    private void awaitLeadership(ByteString prefix, Candidate candidate, CompletableFuture<CampaignResponse> result) {
        CompletableFuture<ResponseHeader> wait = DeletionWait.start(kv, watches, prefix, candidate.leader().getRev() - 1);
        Cancellation.propagate(result, wait);
        wait.whenComplete((header, failure) -> {
            if (failure == null && result.complete(CampaignResponse.newBuilder()
                    .setHeader(candidate.header()).setLeader(candidate.leader()).build())) {
                return;
            }
            if (failure != null) {
                result.completeExceptionally(failure);
            }
            if (result.isCancelled()) {
                resign(candidate.leader());
            }
        });
    }

    @Override
    public CompletableFuture<ProclaimResponse> proclaim(ProclaimRequest request) {
        if (!request.hasLeader()) {
            return CompletableFuture.failedFuture(EtcdError.ELECTION_MISSING_LEADER_KEY.exception());
        }
        return Sessions.leaseFor(leases, request.getLeader().getLease())
                .thenCompose(lease -> proclaim(request.getLeader().toBuilder().setLease(lease).build(), request.getValue()))
                .thenApply(header -> ProclaimResponse.newBuilder().setHeader(header).build());
    }

    private CompletableFuture<ResponseHeader> proclaim(LeaderKey leader, ByteString value) {
        return kv.txn(TxnRequest.newBuilder()
                .addCompare(CandidateKeys.createRevisionIs(leader.getKey(), leader.getRev()))
                .addSuccess(CandidateKeys.put(leader.getKey(), value, leader.getLease()))
                .build()).thenCompose(txn -> txn.getSucceeded() ? CompletableFuture.completedFuture(txn.getHeader())
                        : CompletableFuture.failedFuture(EtcdError.ELECTION_NOT_LEADER.exception()));
    }

    @Override
    public CompletableFuture<LeaderResponse> leader(LeaderRequest request) {
        return kv.range(CandidateKeys.firstCreated(CandidateKeys.prefix(request.getName()))).thenCompose(read ->
                read.getKvsCount() == 0 ? CompletableFuture.failedFuture(EtcdError.ELECTION_NO_LEADER.exception())
                        : CompletableFuture.completedFuture(LeaderResponse.newBuilder()
                                .setHeader(read.getHeader()).setKv(read.getKvs(0)).build()));
    }

    @Override
    public Observation observe(LeaderRequest request, LeaderSink sink) {
        return LeaderObservation.start(kv, watches, CandidateKeys.prefix(request.getName()), sink);
    }

    @Override
    public CompletableFuture<ResignResponse> resign(ResignRequest request) {
        if (!request.hasLeader()) {
            return CompletableFuture.failedFuture(EtcdError.ELECTION_MISSING_LEADER_KEY.exception());
        }
        return Sessions.leaseFor(leases, request.getLeader().getLease())
                .thenCompose(lease -> resign(request.getLeader()))
                .thenApply(header -> ResignResponse.newBuilder().setHeader(header).build());
    }

    private CompletableFuture<ResponseHeader> resign(LeaderKey leader) {
        return kv.txn(TxnRequest.newBuilder()
                .addCompare(CandidateKeys.createRevisionIs(leader.getKey(), leader.getRev()))
                .addSuccess(CandidateKeys.delete(leader.getKey()))
                .build()).thenApply(TxnResponse::getHeader);
    }

    /** A campaign's leader key and the header of the txn that created or found it. */
    private record Candidate(LeaderKey leader, ResponseHeader header) {
    }
}
