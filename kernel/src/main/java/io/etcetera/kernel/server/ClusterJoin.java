package io.etcetera.kernel.server;

import io.etcetera.kernel.ServerConfig;
import io.etcetera.spi.storage.Backend;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A member joining a running cluster ({@code --initial-cluster-state existing}, etcd's
 * {@code GetClusterFromRemotePeers} and {@code ValidateClusterAndAssignIDs}): asks the peers of
 * {@code --initial-cluster} other than itself for the cluster ({@link MembershipPeerService#MEMBERS}),
 * finds its own member id by its {@code --initial-advertise-peer-urls} (the member was added with
 * {@code member add} under those URLs), and stores the cluster id, its id and the members.
 * Not thread-safe: called once, before the member starts.
 */
final class ClusterJoin {

    /** For callers that cannot join (no peer transport): every request fails. */
    static final RemotePeers UNSUPPORTED = (urls, method, body, timeoutMs) ->
            CompletableFuture.failedFuture(new IOException("this server cannot reach peers before it starts"));

    private ClusterJoin() {
    }

    /**
     * Learns the cluster from the peers and stores it in {@code backend}.
     *
     * @param timeoutMs how long to wait for the peers, in ms
     * @return this member's identity in that cluster
     * @throws IOException when no peer answers, or no member of the cluster has this member's peer URLs
     */
    static MemberIdentity join(ServerConfig config, Backend backend, RemotePeers peers, long timeoutMs)
            throws IOException {
        List<URI> peerUrls = new ArrayList<>();
        config.initialCluster().forEach((name, urls) -> {
            if (!name.equals(config.name())) {
                peerUrls.addAll(urls);
            }
        });
        if (peerUrls.isEmpty()) {
            throw new IOException("--initial-cluster-state existing needs the running members in --initial-cluster");
        }
        byte[] answer;
        try {
            answer = peers.request(peerUrls, MembershipPeerService.MEMBERS, new byte[0], timeoutMs)
                    .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot fetch cluster info from peer urls " + peerUrls + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching the cluster from " + peerUrls);
        }
        MembershipPeerService.RemoteCluster cluster = MembershipPeerService.decodeCluster(answer);
        ClusterMember self = matchByPeerUrls(cluster.members(), config.initialAdvertisePeerUrls());
        MemberIdentity identity = new MemberIdentity(self.id(), cluster.clusterId());
        MemberIdentity.store(backend, identity, cluster.members());
        return identity;
    }

    /** The member whose peer URLs are exactly {@code ownUrls} (order aside), as etcd's {@code ValidateClusterAndAssignIDs}. */
    private static ClusterMember matchByPeerUrls(List<ClusterMember> members, List<URI> ownUrls) throws IOException {
        for (ClusterMember member : members) {
            if (new HashSet<>(member.peerUrls()).equals(new HashSet<>(ownUrls))) {
                return member;
            }
        }
        throw new IOException("PeerURLs: no match found for existing member with peer urls " + ownUrls
                + " in the cluster; add it first with 'etcdctl member add'");
    }
}
