package io.etcetera.dist.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of {@code --initial-cluster}: member names to their peer URLs, written
 * {@code name=url,name=url} with one pair per URL (etcd {@code pkg/types/urlsmap.go}).
 * Immutable and thread-safe.
 *
 * @param peerUrlsByName each member's peer URLs, in the order written
 */
public record InitialCluster(Map<String, List<URI>> peerUrlsByName) {

    public InitialCluster {
        Map<String, List<URI>> copy = new LinkedHashMap<>();
        peerUrlsByName.forEach((name, urls) -> copy.put(name, List.copyOf(urls)));
        peerUrlsByName = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Parses {@code name=url,name=url}; empty pairs are skipped as etcd skips them.
     *
     * @throws IllegalArgumentException when a URL is malformed (see {@link EtcdUrls#parse})
     */
    public static InitialCluster parse(String text) {
        Map<String, List<URI>> members = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String url = eq < 0 ? "" : pair.substring(eq + 1);
            members.computeIfAbsent(name, n -> new ArrayList<>()).add(EtcdUrls.parse(url.strip()));
        }
        return new InitialCluster(members);
    }

    /** The cluster etcd assumes when {@code --initial-cluster} is not given: this member alone. */
    public static InitialCluster ofSingleMember(String name, List<URI> peerUrls) {
        return new InitialCluster(Map.of(name, peerUrls));
    }

    /**
     * Checks that this member is in the cluster with exactly its advertised peer URLs, with
     * etcd's messages ({@code etcdserver/config.go VerifyBootstrap}).
     *
     * @throws IllegalArgumentException when the local name is missing or its URLs differ
     */
    public void requireLocalMember(String name, List<URI> advertisedPeerUrls) {
        List<URI> listed = peerUrlsByName.get(name);
        if (listed == null) {
            throw new IllegalArgumentException(
                    "couldn't find local name \"" + name + "\" in the initial cluster configuration");
        }
        List<URI> missingFromAdvertised = new ArrayList<>(listed);
        missingFromAdvertised.removeAll(new HashSet<>(advertisedPeerUrls));
        if (!missingFromAdvertised.isEmpty()) {
            List<String> pairs = missingFromAdvertised.stream().map(u -> name + "=" + u).toList();
            throw new IllegalArgumentException("--initial-cluster has " + String.join(",", pairs)
                    + " but missing from --initial-advertise-peer-urls=" + EtcdUrls.join(advertisedPeerUrls));
        }
        List<URI> missingFromCluster = new ArrayList<>(advertisedPeerUrls);
        missingFromCluster.removeAll(new HashSet<>(listed));
        if (!missingFromCluster.isEmpty()) {
            throw new IllegalArgumentException("--initial-advertise-peer-urls has " + EtcdUrls.join(missingFromCluster)
                    + " but missing from --initial-cluster=" + toString(name, listed));
        }
    }

    /** The cluster written back as {@code name=url,name=url}. */
    @Override
    public String toString() {
        List<String> pairs = new ArrayList<>();
        peerUrlsByName.forEach((name, urls) -> pairs.add(toString(name, urls)));
        return String.join(",", pairs);
    }

    private static String toString(String name, List<URI> urls) {
        return String.join(",", urls.stream().map(u -> name + "=" + u).toList());
    }
}
