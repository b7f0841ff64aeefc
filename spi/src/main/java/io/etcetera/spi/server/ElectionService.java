package io.etcetera.spi.server;

import io.etcetera.spi.v3electionpb.CampaignRequest;
import io.etcetera.spi.v3electionpb.CampaignResponse;
import io.etcetera.spi.v3electionpb.LeaderRequest;
import io.etcetera.spi.v3electionpb.LeaderResponse;
import io.etcetera.spi.v3electionpb.ProclaimRequest;
import io.etcetera.spi.v3electionpb.ProclaimResponse;
import io.etcetera.spi.v3electionpb.ResignRequest;
import io.etcetera.spi.v3electionpb.ResignResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The kernel's leader election facade, etcd's {@code v3electionpb.Election} service without a
 * transport (etcd 3.4 {@code etcdserver/api/v3election/election.go} over
 * {@code clientv3/concurrency/election.go}). A candidate is a key
 * {@code name + "/" + hex(lease)} holding its value; the leader is the candidate key with the
 * smallest create_revision.
 *
 * <p>Every method returns at once. Failures complete the future exceptionally with
 * {@link io.etcetera.spi.error.EtcdException}: {@code ELECTION_NOT_LEADER} ("election: not
 * leader"), {@code ELECTION_NO_LEADER} ("election: no leader"),
 * {@code ELECTION_MISSING_LEADER_KEY}, or a KV/lease error such as {@code LEASE_NOT_FOUND}.
 * Thread-safe.
 */
public interface ElectionService {

    /**
     * Campaigns for leadership of {@code name} with {@code value}: creates the candidate key (or
     * proclaims the new value on an existing one), then waits until every candidate created
     * before it is gone. Completes with the leader key {name, key, rev (its create_revision),
     * lease}. With lease 0 a 60 s lease is granted. Cancelling the future stops waiting and
     * resigns, as etcd does when the client's context ends.
     */
    CompletableFuture<CampaignResponse> campaign(CampaignRequest request);

    /** Sets the leader's value, if the key still has the leader's create_revision; else ELECTION_NOT_LEADER. */
    CompletableFuture<ProclaimResponse> proclaim(ProclaimRequest request);

    /** The current leader's key-value; ELECTION_NO_LEADER when there is no candidate. */
    CompletableFuture<LeaderResponse> leader(LeaderRequest request);

    /**
     * Follows the leadership of {@code name}: the sink is given the current leader (waiting for
     * the first candidate if there is none), then every new value of the leader and every new
     * leader. See {@link LeaderSink} for threads and the end of an observation.
     *
     * @return the observation; closing it stops the deliveries
     */
    Observation observe(LeaderRequest request, LeaderSink sink);

    /** Deletes the leader key if it still has the leader's create_revision; answers the header either way. */
    CompletableFuture<ResignResponse> resign(ResignRequest request);

    /** One running {@link #observe}; thread-safe. */
    interface Observation extends AutoCloseable {
        /** Stops the observation; no delivery starts after this returns. Idempotent; the sink is not told. */
        @Override
        void close();
    }

    /**
     * Where an observation delivers. Calls are serialised (never two at once for one sink) and
     * come from kernel threads; they must not block for long.
     */
    interface LeaderSink {
        /** One leader value, in revision order. */
        void onLeader(LeaderResponse response);

        /**
         * The observation ended by itself (its watch or read failed, or the member is stopping);
         * as etcd, this is an end, not an error to report. No call follows.
         */
        void onEnd();
    }
}
