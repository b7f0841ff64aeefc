package io.etcetera.kernel;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A member's configuration, already parsed and validated (the launcher turns etcd's flags,
 * {@code ETCD_*} variables and YAML config-file keys into one of these). Names and defaults are
 * etcd 3.4's ({@code etcd --help}).
 *
 * @param name human-readable member name ({@code --name}, default {@code default})
 * @param dataDir the data directory ({@code --data-dir}, default {@code <name>.etcd})
 * @param listenClientUrls URLs to serve clients on ({@code --listen-client-urls})
 * @param advertiseClientUrls client URLs advertised to the cluster ({@code --advertise-client-urls})
 * @param initialAdvertisePeerUrls peer URLs of this member ({@code --initial-advertise-peer-urls});
 *     with the cluster token they derive the member id as etcd does
 * @param initialClusterToken the cluster token ({@code --initial-cluster-token})
 * @param maxTxnOps the most operations a txn may hold ({@code --max-txn-ops}, default 128)
 * @param maxRequestBytes the largest request accepted, in bytes ({@code --max-request-bytes},
 *     default 1572864)
 * @param storageBackend the id of the storage engine plugin (default {@code rocksdb})
 * @param apiFrontEnds the ids of the API front-end plugins to start (default {@code grpc})
 * @param initialCluster the members of a new cluster, name to advertised peer URLs, in the
 *     order given ({@code --initial-cluster}); must name this member ({@link #name()}). Read at
 *     the first start only: a restart takes the membership from the backend, as etcd does
 * @param listenPeerUrls the URLs to serve peers on ({@code --listen-peer-urls}); the peer
 *     transport is started only when the cluster has more than one member
 * @param heartbeatIntervalMs the Raft tick, in ms ({@code --heartbeat-interval}, default 100)
 * @param electionTimeoutMs the election timeout, in ms ({@code --election-timeout}, default
 *     1000); a multiple of the heartbeat interval is used (rounded down, at least 2 ticks)
 * @param snapshots when Raft snapshots are taken and how many files are kept
 *     ({@code --snapshot-count}, {@code --max-snapshots}, {@code --max-wals})
 * @param bootstrap how this member joins its cluster ({@code --initial-cluster-state},
 *     {@code --force-new-cluster}, {@code --strict-reconfig-check})
 */
public record ServerConfig(
        String name,
        Path dataDir,
        List<URI> listenClientUrls,
        List<URI> advertiseClientUrls,
        List<URI> initialAdvertisePeerUrls,
        String initialClusterToken,
        int maxTxnOps,
        long maxRequestBytes,
        String storageBackend,
        List<String> apiFrontEnds,
        Map<String, List<URI>> initialCluster,
        List<URI> listenPeerUrls,
        long heartbeatIntervalMs,
        long electionTimeoutMs,
        Snapshots snapshots,
        Bootstrap bootstrap) {

    /**
     * Raft snapshot and file retention settings (etcd's {@code --snapshot-count},
     * {@code --experimental-snapshot-catchup-entries}, {@code --max-snapshots}, {@code --max-wals}).
     *
     * @param snapshotCount applied entries between two snapshots (etcd default 100,000)
     * @param catchUpEntries entries kept in the Raft log behind a snapshot for slow followers
     *     (etcd's {@code SnapshotCatchUpEntries}, 5,000)
     * @param maxSnapshots snapshot files kept, 0 = unlimited (etcd default 5)
     * @param maxWals WAL segment files kept, 0 = unlimited (etcd default 5)
     */
    public record Snapshots(long snapshotCount, long catchUpEntries, int maxSnapshots, int maxWals) {
        /** etcd 3.4's defaults. */
        public static final Snapshots DEFAULTS = new Snapshots(100_000, 5_000, 5, 5);

        public Snapshots {
            if (snapshotCount <= 0 || catchUpEntries <= 0 || maxSnapshots < 0 || maxWals < 0) {
                throw new IllegalArgumentException("--snapshot-count and the catch-up entries must be positive and "
                        + "--max-snapshots/--max-wals not negative: " + snapshotCount + ", " + catchUpEntries + ", "
                        + maxSnapshots + ", " + maxWals);
            }
        }
    }

    /** etcd's {@code --initial-cluster-state}. */
    public enum ClusterState { NEW, EXISTING }

    /**
     * How the member joins its cluster.
     *
     * @param initialClusterState {@code new} bootstraps a cluster from {@code --initial-cluster};
     *     {@code existing} joins a running cluster that already added this member (ignored on restart)
     * @param forceNewCluster {@code --force-new-cluster}: restart as the only voter, keeping the data
     * @param strictReconfigCheck {@code --strict-reconfig-check} (etcd default true): refuse
     *     membership changes that could lose quorum
     */
    public record Bootstrap(ClusterState initialClusterState, boolean forceNewCluster, boolean strictReconfigCheck) {
        /** etcd's defaults: a new cluster, no force, strict checks. */
        public static final Bootstrap DEFAULTS = new Bootstrap(ClusterState.NEW, false, true);

        public Bootstrap {
            Objects.requireNonNull(initialClusterState, "initialClusterState");
        }
    }

    /** etcd's default for {@code --max-txn-ops}. */
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    /** etcd's default for {@code --max-request-bytes}: 1.5 MiB. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1536L * 1024;
    /** etcd's default for {@code --heartbeat-interval}, in ms. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 100;
    /** etcd's default for {@code --election-timeout}, in ms. */
    public static final long DEFAULT_ELECTION_TIMEOUT_MS = 1000;

    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        Objects.requireNonNull(initialClusterToken, "initialClusterToken");
        Objects.requireNonNull(storageBackend, "storageBackend");
        apiFrontEnds = List.copyOf(apiFrontEnds);
        Map<String, List<URI>> members = new LinkedHashMap<>();
        initialCluster.forEach((member, urls) -> members.put(member, List.copyOf(urls)));
        initialCluster = Collections.unmodifiableMap(members);
        listenPeerUrls = List.copyOf(listenPeerUrls);
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (!initialCluster.containsKey(name)) {
            throw new IllegalArgumentException("--initial-cluster " + initialCluster + " must name this member " + name);
        }
        if (heartbeatIntervalMs <= 0 || electionTimeoutMs < 2 * heartbeatIntervalMs) {
            throw new IllegalArgumentException("--election-timeout (" + electionTimeoutMs
                    + " ms) must be at least twice --heartbeat-interval (" + heartbeatIntervalMs + " ms)");
        }
        if (maxTxnOps <= 0) {
            throw new IllegalArgumentException("--max-txn-ops must be positive, got " + maxTxnOps);
        }
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("--max-request-bytes must be positive, got " + maxRequestBytes);
        }
        if (listenClientUrls.isEmpty()) {
            throw new IllegalArgumentException("--listen-client-urls must name at least one URL");
        }
    }

    /** A configuration with etcd's default snapshot and bootstrap settings. */
    public ServerConfig(String name, Path dataDir, List<URI> listenClientUrls, List<URI> advertiseClientUrls,
            List<URI> initialAdvertisePeerUrls, String initialClusterToken, int maxTxnOps, long maxRequestBytes,
            String storageBackend, List<String> apiFrontEnds, Map<String, List<URI>> initialCluster,
            List<URI> listenPeerUrls, long heartbeatIntervalMs, long electionTimeoutMs) {
        this(name, dataDir, listenClientUrls, advertiseClientUrls, initialAdvertisePeerUrls, initialClusterToken,
                maxTxnOps, maxRequestBytes, storageBackend, apiFrontEnds, initialCluster, listenPeerUrls,
                heartbeatIntervalMs, electionTimeoutMs, Snapshots.DEFAULTS, Bootstrap.DEFAULTS);
    }

    /** This configuration with {@code snapshots} instead. */
    public ServerConfig withSnapshots(Snapshots snapshots) {
        return new ServerConfig(name, dataDir, listenClientUrls, advertiseClientUrls, initialAdvertisePeerUrls,
                initialClusterToken, maxTxnOps, maxRequestBytes, storageBackend, apiFrontEnds, initialCluster,
                listenPeerUrls, heartbeatIntervalMs, electionTimeoutMs, snapshots, bootstrap);
    }

    /** This configuration with {@code bootstrap} instead. */
    public ServerConfig withBootstrap(Bootstrap bootstrap) {
        return new ServerConfig(name, dataDir, listenClientUrls, advertiseClientUrls, initialAdvertisePeerUrls,
                initialClusterToken, maxTxnOps, maxRequestBytes, storageBackend, apiFrontEnds, initialCluster,
                listenPeerUrls, heartbeatIntervalMs, electionTimeoutMs, snapshots, bootstrap);
    }

    /**
     * A single-member configuration: the initial cluster is this member at
     * {@code initialAdvertisePeerUrls}, no peer listener, etcd's default Raft timing.
     */
    public ServerConfig(String name, Path dataDir, List<URI> listenClientUrls, List<URI> advertiseClientUrls,
            List<URI> initialAdvertisePeerUrls, String initialClusterToken, int maxTxnOps, long maxRequestBytes,
            String storageBackend, List<String> apiFrontEnds) {
        this(name, dataDir, listenClientUrls, advertiseClientUrls, initialAdvertisePeerUrls, initialClusterToken,
                maxTxnOps, maxRequestBytes, storageBackend, apiFrontEnds, Map.of(name, initialAdvertisePeerUrls),
                List.of(), DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_ELECTION_TIMEOUT_MS);
    }

    /** etcd's defaults for a member named {@code default} in {@code default.etcd}. */
    public static ServerConfig defaults() {
        List<URI> peerUrls = List.of(URI.create("http://localhost:2380"));
        return new ServerConfig(
                "default",
                Path.of("default.etcd"),
                List.of(URI.create("http://localhost:2379")),
                List.of(URI.create("http://localhost:2379")),
                peerUrls,
                "etcd-cluster",
                DEFAULT_MAX_TXN_OPS,
                DEFAULT_MAX_REQUEST_BYTES,
                "rocksdb",
                List.of("grpc"),
                Map.of("default", peerUrls),
                peerUrls,
                DEFAULT_HEARTBEAT_INTERVAL_MS,
                DEFAULT_ELECTION_TIMEOUT_MS,
                Snapshots.DEFAULTS,
                Bootstrap.DEFAULTS);
    }
}
