package io.etcetera.dist.config;

import static io.etcetera.dist.config.OptionKind.BIND_URLS;
import static io.etcetera.dist.config.OptionKind.BOOL;
import static io.etcetera.dist.config.OptionKind.CHOICE;
import static io.etcetera.dist.config.OptionKind.DURATION;
import static io.etcetera.dist.config.OptionKind.INT64;
import static io.etcetera.dist.config.OptionKind.PLUGIN_ID;
import static io.etcetera.dist.config.OptionKind.PLUGIN_IDS;
import static io.etcetera.dist.config.OptionKind.STRING;
import static io.etcetera.dist.config.OptionKind.STRINGS;
import static io.etcetera.dist.config.OptionKind.UINT;
import static io.etcetera.dist.config.OptionKind.UINT32;
import static io.etcetera.dist.config.OptionKind.URLS;
import static io.etcetera.dist.config.Support.ACTED_ON;
import static io.etcetera.dist.config.Support.NOT_YET;
import static io.etcetera.dist.config.Support.REFUSED;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of every option the server launcher knows: etcd 3.4's server flags
 * ({@code etcdmain/config.go newConfig}, {@code etcd --help}) with their defaults, plus
 * etcetera's plugin choices. The flags, the {@code ETCD_*} variables, the config-file keys and
 * the help all come from this one table. Immutable and thread-safe.
 */
public final class EtcdOptions {

    // Option names used by the resolver.
    public static final String CONFIG_FILE = "config-file";
    public static final String NAME = "name";
    public static final String DATA_DIR = "data-dir";
    public static final String LISTEN_CLIENT_URLS = "listen-client-urls";
    public static final String ADVERTISE_CLIENT_URLS = "advertise-client-urls";
    public static final String INITIAL_ADVERTISE_PEER_URLS = "initial-advertise-peer-urls";
    public static final String INITIAL_CLUSTER_TOKEN = "initial-cluster-token";
    public static final String INITIAL_CLUSTER = "initial-cluster";
    public static final String INITIAL_CLUSTER_STATE = "initial-cluster-state";
    public static final String STRICT_RECONFIG_CHECK = "strict-reconfig-check";
    public static final String FORCE_NEW_CLUSTER = "force-new-cluster";
    public static final String LISTEN_PEER_URLS = "listen-peer-urls";
    public static final String MAX_TXN_OPS = "max-txn-ops";
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";
    public static final String HEARTBEAT_INTERVAL = "heartbeat-interval";
    public static final String ELECTION_TIMEOUT = "election-timeout";
    public static final String LOG_LEVEL = "log-level";
    public static final String STORAGE_BACKEND = "storage-backend";
    public static final String API_FRONT_ENDS = "api-front-ends";
    public static final String VERSION = "version";
    public static final String SNAPSHOT_COUNT = "snapshot-count";
    public static final String SNAPSHOT_CATCHUP_ENTRIES = "experimental-snapshot-catchup-entries";
    public static final String MAX_SNAPSHOTS = "max-snapshots";
    public static final String MAX_WALS = "max-wals";

    private static final String SINGLE_MEMBER = "etcetera's Raft runs a static membership with pre-vote and check-quorum on";
    private static final String LOGGING = "etcetera logs one line per event to stderr";
    private static final String NO_TLS = "etcetera serves plain http only for now";
    private static final String NO_DISCOVERY = "etcetera bootstraps a single member from --initial-cluster only";
    private static final String STORAGE_TUNING = "the storage engine plugin chooses its own batching and retention";
    private static final String GRPC_TUNING = "the grpc front end uses its own keepalive and stream limits";
    private static final String NO_METRICS = "no metrics, profiling or v2 endpoints yet";
    private static final String NO_AUTH = "etcetera has no Auth/RBAC yet (a later issue)";
    private static final String NO_COMPACTION = "no automatic compaction yet; compact with etcdctl compact";
    private static final String NO_PROXY = "etcetera has no v2 proxy mode";
    private static final String NO_CHECKS = "no corruption checks yet";

    private static final Map<String, EtcdOption> BY_NAME;

    static {
        List<EtcdOption> all = new ArrayList<>();
        // member
        all.add(flagOnly(CONFIG_FILE, STRING, "", ACTED_ON,
                "Path to a YAML configuration file. When given, it is the whole configuration: other flags and ETCD_* variables are ignored."));
        all.add(acted(NAME, STRING, "default", "Human-readable name of this member."));
        all.add(acted(DATA_DIR, STRING, "", "Directory for this member's data. Default: <name>.etcd."));
        all.add(notYet("wal-dir", STRING, "", "Separate directory for the write-ahead log.", "the WAL lives in <data-dir>/member/wal"));
        all.add(acted(LISTEN_PEER_URLS, BIND_URLS, "http://localhost:2380", "URLs to listen on for peer (Raft) traffic; bound only when the cluster has more than one member."));
        all.add(acted(LISTEN_CLIENT_URLS, BIND_URLS, "http://localhost:2379", "URLs to listen on for client traffic, comma-separated."));
        all.add(notYet("listen-metrics-urls", URLS, "", "Extra URLs to serve metrics and health on.", NO_METRICS));
        all.add(acted(MAX_SNAPSHOTS, UINT, "5", "Snapshot files to keep (0 keeps all)."));
        all.add(acted(MAX_WALS, UINT, "5", "WAL files to keep (0 keeps all)."));
        all.add(acted(SNAPSHOT_COUNT, UINT, "100000", "Committed entries between two snapshots to disk."));
        all.add(acted(HEARTBEAT_INTERVAL, UINT, "100", "Raft heartbeat interval, in milliseconds."));
        all.add(acted(ELECTION_TIMEOUT, UINT, "1000", "Raft election timeout, in milliseconds; at least 5 heartbeats."));
        all.add(notYet("initial-election-tick-advance", BOOL, "true", "Fast-forward election ticks at boot.", SINGLE_MEMBER));
        all.add(notYet("quota-backend-bytes", INT64, "0", "Backend size in bytes that raises a NOSPACE alarm (0: 2 GiB).", STORAGE_TUNING));
        all.add(notYet("backend-batch-interval", DURATION, "0s", "Longest time a backend write batch stays open.", STORAGE_TUNING));
        all.add(notYet("backend-batch-limit", INT64, "0", "Most operations in one backend write batch.", STORAGE_TUNING));
        all.add(acted(MAX_TXN_OPS, UINT, "128", "Most operations one transaction may hold."));
        all.add(acted(MAX_REQUEST_BYTES, UINT, "1572864", "Largest client request accepted, in bytes."));
        all.add(notYet("max-concurrent-streams", UINT32, "4294967295", "Most concurrent gRPC streams per client connection.", GRPC_TUNING));
        all.add(notYet("grpc-keepalive-min-time", DURATION, "5s", "Shortest interval a client may ping the server at.", GRPC_TUNING));
        all.add(notYet("grpc-keepalive-interval", DURATION, "2h", "Interval of server-to-client pings (0 disables).", GRPC_TUNING));
        all.add(notYet("grpc-keepalive-timeout", DURATION, "20s", "Wait for a ping answer before closing the connection (0 disables).", GRPC_TUNING));
        // clustering
        all.add(acted(INITIAL_ADVERTISE_PEER_URLS, URLS, "http://localhost:2380", "This member's peer URLs, advertised to the cluster; with the token they make the member id."));
        all.add(acted(ADVERTISE_CLIENT_URLS, URLS, "http://localhost:2379", "This member's client URLs, advertised to clients, comma-separated."));
        all.add(acted(INITIAL_CLUSTER, OptionKind.INITIAL_CLUSTER, "", "Bootstrap membership as name=peer-url pairs. Default: <name>=<initial-advertise-peer-urls>. Read at the first start only."));
        all.add(choice(INITIAL_CLUSTER_STATE, "new", ACTED_ON, "Whether the cluster is new or existing (join a running cluster that added this member).", "", "new", "existing"));
        all.add(acted(INITIAL_CLUSTER_TOKEN, STRING, "etcd-cluster", "Cluster token; with the peer URLs it makes the cluster and member ids."));
        all.add(acted(STRICT_RECONFIG_CHECK, BOOL, "true", "Reject reconfigurations that would lose quorum."));
        all.add(notYet("pre-vote", BOOL, "false", "Run Raft's pre-vote phase before elections.", SINGLE_MEMBER));
        all.add(notYet("enable-v2", BOOL, "false", "Serve the etcd v2 API.", NO_METRICS));
        all.add(acted(FORCE_NEW_CLUSTER, BOOL, "false", "Restart as a new one-member cluster, keeping the data."));
        all.add(refused("discovery", STRING, "", "Discovery service URL to bootstrap from.", NO_DISCOVERY));
        all.add(choice("discovery-fallback", "proxy", NOT_YET, "What to do when discovery fails.", NO_DISCOVERY, "proxy", "exit"));
        all.add(refused("discovery-proxy", STRING, "", "HTTP proxy for discovery traffic.", NO_DISCOVERY));
        all.add(refused("discovery-srv", STRING, "", "DNS domain to bootstrap from with SRV records.", NO_DISCOVERY));
        all.add(refused("discovery-srv-name", STRING, "", "Suffix of the DNS SRV name queried at bootstrap.", NO_DISCOVERY));
        // proxy
        all.add(choice("proxy", "off", REFUSED, "v2 proxy mode.", NO_PROXY, "off", "readonly", "on"));
        all.add(notYet("proxy-failure-wait", UINT, "5000", "v2 proxy: milliseconds a failed endpoint stays failed.", NO_PROXY));
        all.add(notYet("proxy-refresh-interval", UINT, "30000", "v2 proxy: endpoint refresh interval, in milliseconds.", NO_PROXY));
        all.add(notYet("proxy-dial-timeout", UINT, "1000", "v2 proxy: dial timeout, in milliseconds.", NO_PROXY));
        all.add(notYet("proxy-write-timeout", UINT, "5000", "v2 proxy: write timeout, in milliseconds.", NO_PROXY));
        all.add(notYet("proxy-read-timeout", UINT, "0", "v2 proxy: read timeout, in milliseconds.", NO_PROXY));
        // security: ignoring these would serve plaintext to someone who asked for TLS
        all.add(tls("cert-file", STRING, "", "Client TLS certificate file."));
        all.add(tls("key-file", STRING, "", "Client TLS key file."));
        all.add(tls("client-cert-auth", BOOL, "false", "Require client certificates."));
        all.add(tls("client-crl-file", STRING, "", "Client certificate revocation list."));
        all.add(tls("client-cert-allowed-hostname", STRING, "", "Hostname client certificates must carry."));
        all.add(tls("trusted-ca-file", STRING, "", "CA file for client certificates."));
        all.add(tls("auto-tls", BOOL, "false", "Client TLS with generated certificates."));
        all.add(tls("peer-cert-file", STRING, "", "Peer TLS certificate file."));
        all.add(tls("peer-key-file", STRING, "", "Peer TLS key file."));
        all.add(tls("peer-client-cert-auth", BOOL, "false", "Require peer client certificates."));
        all.add(tls("peer-trusted-ca-file", STRING, "", "CA file for peer certificates."));
        all.add(tls("peer-cert-allowed-cn", STRING, "", "Common name peer certificates must carry."));
        all.add(tls("peer-cert-allowed-hostname", STRING, "", "Hostname peer certificates must carry."));
        all.add(tls("peer-auto-tls", BOOL, "false", "Peer TLS with generated certificates."));
        all.add(tls("peer-crl-file", STRING, "", "Peer certificate revocation list."));
        all.add(refused("cipher-suites", STRINGS, "", "TLS cipher suites, comma-separated.", NO_TLS));
        all.add(tls("experimental-peer-skip-client-san-verification", BOOL, "false", "Skip SAN checks of peer client certificates."));
        all.add(notYet("cors", STRINGS, "*", "Origins allowed for CORS, comma-separated.", NO_METRICS));
        all.add(notYet("host-whitelist", STRINGS, "*", "Host names accepted from HTTP clients, comma-separated.", NO_METRICS));
        // logging
        all.add(choice("logger", "capnslog", NOT_YET, "Log format: zap or capnslog.", LOGGING, "capnslog", "zap"));
        all.add(notYet("log-outputs", STRINGS, "default", "Log targets: default, stderr, stdout or files.", LOGGING));
        all.add(notYet("log-output", STRINGS, "default", "Deprecated spelling of --log-outputs.", LOGGING));
        all.add(choice(LOG_LEVEL, "info", ACTED_ON, "Least severe level logged.", "", "debug", "info", "warn", "error", "panic", "fatal"));
        all.add(notYet("debug", BOOL, "false", "Deprecated: --log-level=debug.", LOGGING));
        all.add(notYet("log-package-levels", STRING, "", "Deprecated per-package log levels.", LOGGING));
        all.add(flagOnly(VERSION, BOOL, "false", ACTED_ON, "Print the version and exit."));
        // compaction, metrics, profiling
        all.add(notYet("auto-compaction-retention", STRING, "0", "How much history automatic compaction keeps (0 disables).", NO_COMPACTION));
        all.add(choice("auto-compaction-mode", "periodic", NOT_YET, "How to read --auto-compaction-retention.", NO_COMPACTION, "periodic", "revision"));
        all.add(notYet("enable-pprof", BOOL, "false", "Serve runtime profiles under /debug/pprof/.", NO_METRICS));
        all.add(choice("metrics", "basic", NOT_YET, "Detail of exported metrics.", NO_METRICS, "basic", "extensive"));
        // auth
        all.add(notYet("auth-token", STRING, "simple", "Auth token type and options (simple or jwt,...).", NO_AUTH));
        all.add(notYet("bcrypt-cost", UINT, "10", "bcrypt cost of password hashes (4..31).", NO_AUTH));
        all.add(notYet("auth-token-ttl", UINT, "300", "Lifetime of simple auth tokens, in seconds.", NO_AUTH));
        all.add(notYet("enable-grpc-gateway", BOOL, "true", "Serve the JSON gateway of the v3 API.", NO_METRICS));
        // experimental and unsafe
        all.add(acted(SNAPSHOT_CATCHUP_ENTRIES, UINT, "5000",
                "Entries kept in the Raft log behind a snapshot for slow followers (etcd 3.5)."));
        all.add(notYet("experimental-initial-corrupt-check", BOOL, "false", "Check data for corruption before serving.", NO_CHECKS));
        all.add(notYet("experimental-corrupt-check-time", DURATION, "0s", "Interval of cluster corruption checks.", NO_CHECKS));
        all.add(notYet("experimental-enable-v2v3", STRING, "", "Serve v2 through the v3 store under this prefix.", NO_METRICS));
        all.add(notYet("experimental-backend-bbolt-freelist-type", STRING, "array", "bbolt freelist type.", STORAGE_TUNING));
        all.add(notYet("experimental-enable-lease-checkpoint", BOOL, "false", "Checkpoint lease TTLs to followers.", SINGLE_MEMBER));
        all.add(notYet("experimental-enable-lease-checkpoint-persist", BOOL, "false", "Persist lease TTL checkpoints.", SINGLE_MEMBER));
        all.add(notYet("experimental-compaction-batch-limit", INT64, "1000", "Most revisions deleted per compaction batch.", STORAGE_TUNING));
        all.add(notYet("experimental-watch-progress-notify-interval", DURATION, "10m", "Interval of watch progress notifications.", "watch progress notifications are not periodic yet"));
        all.add(notYet("experimental-warning-apply-duration", DURATION, "100ms", "Apply duration that logs a warning.", LOGGING));
        all.add(notYet("unsafe-no-fsync", BOOL, "false", "Skip fsync (loses data on crash).", "etcetera always fsyncs"));
        // etcetera's plugin choices
        all.add(acted(STORAGE_BACKEND, PLUGIN_ID, "rocksdb", "Storage engine plugin id (rocksdb)."));
        all.add(acted(API_FRONT_ENDS, PLUGIN_IDS, "grpc", "API front-end plugin ids to start, comma-separated (grpc)."));

        Map<String, EtcdOption> byName = new LinkedHashMap<>();
        all.forEach(o -> byName.put(o.name(), o));
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private EtcdOptions() {
    }

    /** Every option, in help order. */
    public static List<EtcdOption> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The option named {@code name} (no dashes), if etcd or etcetera knows it. */
    public static Optional<EtcdOption> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The option named {@code name}; for names this class defines. */
    static EtcdOption get(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("no option " + name));
    }

    private static EtcdOption acted(String name, OptionKind kind, String defaultValue, String description) {
        return new EtcdOption(name, kind, defaultValue, ACTED_ON, description, List.of(), "", true);
    }

    private static EtcdOption notYet(String name, OptionKind kind, String defaultValue, String description, String note) {
        return new EtcdOption(name, kind, defaultValue, NOT_YET, description, List.of(), note, true);
    }

    private static EtcdOption refused(String name, OptionKind kind, String defaultValue, String description, String note) {
        return new EtcdOption(name, kind, defaultValue, REFUSED, description, List.of(), note, true);
    }

    private static EtcdOption tls(String name, OptionKind kind, String defaultValue, String description) {
        return new EtcdOption(name, kind, defaultValue, REFUSED, description, List.of(), NO_TLS, false);
    }

    private static EtcdOption flagOnly(String name, OptionKind kind, String defaultValue, Support support, String description) {
        return new EtcdOption(name, kind, defaultValue, support, description, List.of(), "", false);
    }

    private static EtcdOption choice(String name, String defaultValue, Support support, String description, String note, String... choices) {
        return new EtcdOption(name, CHOICE, defaultValue, support, description, List.of(choices), note, true);
    }
}
