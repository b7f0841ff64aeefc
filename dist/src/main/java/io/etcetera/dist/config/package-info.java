/**
 * etcd 3.4-compatible configuration of an etcetera member: flags, {@code ETCD_*} environment
 * variables and the YAML config file, resolved into a kernel {@link io.etcetera.kernel.ServerConfig}.
 *
 * <h2>Where settings come from</h2>
 * As etcd 3.4 ({@code etcdmain/config.go}, {@code pkg/flags/flag.go}):
 * <ul>
 *   <li>{@code --config-file <path>} (or {@code ETCD_CONFIG_FILE} when the flag is absent):
 *       the YAML file is the whole configuration; every other flag and {@code ETCD_*} variable is
 *       ignored (a warning lists ignored flags) and absent keys take etcd's defaults.</li>
 *   <li>Otherwise: a flag, else its variable ({@code ETCD_} + the flag name upper-cased with
 *       {@code -} as {@code _}, e.g. {@code ETCD_DATA_DIR}; empty counts as unset), else etcd's
 *       default. A variable whose flag is also given is an error, as in etcd 3.4 ("conflicting
 *       environment variable ... is shadowed by corresponding command-line flag"). An
 *       {@code ETCD_*} variable naming no option logs "unrecognized environment variable".</li>
 *   <li>{@code --listen-client-urls} without {@code --advertise-client-urls} (flags or variables)
 *       is an error, as in etcd.</li>
 * </ul>
 * Values follow etcd's syntax: URL lists are comma-separated {@code scheme://host:port}
 * (http, https, unix, unixs; no path); listen URLs need an IP or {@code localhost}; durations
 * are Go's ({@code 100ms}, {@code 1h30m}); switches accept {@code --flag} or
 * {@code --flag=false}; Go's single-dash spelling {@code -name x} works too. A malformed value,
 * an unknown flag or an unknown config-file key stops the launcher with one line naming the
 * option and the value (exit status 1; 2 for a command line that does not parse).
 *
 * <h2>Options</h2>
 * "Acted on": etcetera honours it. "Accepted": parsed and validated with etcd's rules, not acted
 * on yet (a single member has no Raft peers, no TLS, ...); a value other than the default logs a
 * warning that says so. "Refused": a value other than the default fails at start, because
 * ignoring it would silently weaken what was asked for (TLS, discovery, proxy). Units are in the
 * descriptions; sizes are bytes.
 * <table class="striped">
 * <caption>Server options: flag, config-file key, syntax, default, support</caption>
 * <thead><tr><th>flag</th><th>config-file key</th><th>syntax</th><th>default</th><th>support</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code --config-file}</td><td>—</td><td>string</td><td>(empty)</td><td>acted on</td><td>Path to a YAML configuration file. When given, it is the whole configuration: other flags and ETCD_* variables are ignored.</td></tr>
 * <tr><td>{@code --name}</td><td>{@code name}</td><td>string</td><td>{@code default}</td><td>acted on</td><td>Human-readable name of this member.</td></tr>
 * <tr><td>{@code --data-dir}</td><td>{@code data-dir}</td><td>string</td><td>{@code <name>.etcd}</td><td>acted on</td><td>Directory for this member's data. Default: &lt;name&gt;.etcd.</td></tr>
 * <tr><td>{@code --wal-dir}</td><td>{@code wal-dir}</td><td>string</td><td>(empty)</td><td>accepted</td><td>Separate directory for the write-ahead log.</td></tr>
 * <tr><td>{@code --listen-peer-urls}</td><td>{@code listen-peer-urls}</td><td>bind-urls</td><td>{@code http://localhost:2380}</td><td>accepted</td><td>URLs to listen on for peer (Raft) traffic.</td></tr>
 * <tr><td>{@code --listen-client-urls}</td><td>{@code listen-client-urls}</td><td>bind-urls</td><td>{@code http://localhost:2379}</td><td>acted on</td><td>URLs to listen on for client traffic, comma-separated.</td></tr>
 * <tr><td>{@code --listen-metrics-urls}</td><td>{@code listen-metrics-urls}</td><td>urls</td><td>(empty)</td><td>accepted</td><td>Extra URLs to serve metrics and health on.</td></tr>
 * <tr><td>{@code --max-snapshots}</td><td>{@code max-snapshots}</td><td>uint</td><td>{@code 5}</td><td>acted on</td><td>Snapshot files to keep (0 keeps all).</td></tr>
 * <tr><td>{@code --max-wals}</td><td>{@code max-wals}</td><td>uint</td><td>{@code 5}</td><td>acted on</td><td>WAL files to keep (0 keeps all).</td></tr>
 * <tr><td>{@code --snapshot-count}</td><td>{@code snapshot-count}</td><td>uint</td><td>{@code 100000}</td><td>acted on</td><td>Committed entries between two snapshots to disk.</td></tr>
 * <tr><td>{@code --heartbeat-interval}</td><td>{@code heartbeat-interval}</td><td>uint</td><td>{@code 100}</td><td>accepted</td><td>Raft heartbeat interval, in milliseconds.</td></tr>
 * <tr><td>{@code --election-timeout}</td><td>{@code election-timeout}</td><td>uint</td><td>{@code 1000}</td><td>accepted</td><td>Raft election timeout, in milliseconds; at least 5 heartbeats.</td></tr>
 * <tr><td>{@code --initial-election-tick-advance}</td><td>{@code initial-election-tick-advance}</td><td>bool</td><td>{@code true}</td><td>accepted</td><td>Fast-forward election ticks at boot.</td></tr>
 * <tr><td>{@code --quota-backend-bytes}</td><td>{@code quota-backend-bytes}</td><td>int64</td><td>{@code 0}</td><td>accepted</td><td>Backend size in bytes that raises a NOSPACE alarm (0: 2 GiB).</td></tr>
 * <tr><td>{@code --backend-batch-interval}</td><td>{@code backend-batch-interval}</td><td>duration</td><td>{@code 0s}</td><td>accepted</td><td>Longest time a backend write batch stays open.</td></tr>
 * <tr><td>{@code --backend-batch-limit}</td><td>{@code backend-batch-limit}</td><td>int64</td><td>{@code 0}</td><td>accepted</td><td>Most operations in one backend write batch.</td></tr>
 * <tr><td>{@code --max-txn-ops}</td><td>{@code max-txn-ops}</td><td>uint</td><td>{@code 128}</td><td>acted on</td><td>Most operations one transaction may hold.</td></tr>
 * <tr><td>{@code --max-request-bytes}</td><td>{@code max-request-bytes}</td><td>uint</td><td>{@code 1572864}</td><td>acted on</td><td>Largest client request accepted, in bytes.</td></tr>
 * <tr><td>{@code --max-concurrent-streams}</td><td>{@code max-concurrent-streams}</td><td>uint32</td><td>{@code 4294967295}</td><td>accepted</td><td>Most concurrent gRPC streams per client connection.</td></tr>
 * <tr><td>{@code --grpc-keepalive-min-time}</td><td>{@code grpc-keepalive-min-time}</td><td>duration</td><td>{@code 5s}</td><td>accepted</td><td>Shortest interval a client may ping the server at.</td></tr>
 * <tr><td>{@code --grpc-keepalive-interval}</td><td>{@code grpc-keepalive-interval}</td><td>duration</td><td>{@code 2h}</td><td>accepted</td><td>Interval of server-to-client pings (0 disables).</td></tr>
 * <tr><td>{@code --grpc-keepalive-timeout}</td><td>{@code grpc-keepalive-timeout}</td><td>duration</td><td>{@code 20s}</td><td>accepted</td><td>Wait for a ping answer before closing the connection (0 disables).</td></tr>
 * <tr><td>{@code --initial-advertise-peer-urls}</td><td>{@code initial-advertise-peer-urls}</td><td>urls</td><td>{@code http://localhost:2380}</td><td>acted on</td><td>This member's peer URLs, advertised to the cluster; with the token they make the member id.</td></tr>
 * <tr><td>{@code --advertise-client-urls}</td><td>{@code advertise-client-urls}</td><td>urls</td><td>{@code http://localhost:2379}</td><td>acted on</td><td>This member's client URLs, advertised to clients, comma-separated.</td></tr>
 * <tr><td>{@code --initial-cluster}</td><td>{@code initial-cluster}</td><td>initial-cluster</td><td>{@code <name>=<initial-advertise-peer-urls>}</td><td>acted on</td><td>Bootstrap membership as name=peer-url pairs. Default: &lt;name&gt;=&lt;initial-advertise-peer-urls&gt;. Must name this member only.</td></tr>
 * <tr><td>{@code --initial-cluster-state}</td><td>{@code initial-cluster-state}</td><td>choice</td><td>{@code new}</td><td>acted on</td><td>Whether the cluster is new or existing (join a running cluster that added this member).</td></tr>
 * <tr><td>{@code --initial-cluster-token}</td><td>{@code initial-cluster-token}</td><td>string</td><td>{@code etcd-cluster}</td><td>acted on</td><td>Cluster token; with the peer URLs it makes the cluster and member ids.</td></tr>
 * <tr><td>{@code --strict-reconfig-check}</td><td>{@code strict-reconfig-check}</td><td>bool</td><td>{@code true}</td><td>acted on</td><td>Reject reconfigurations that would lose quorum.</td></tr>
 * <tr><td>{@code --pre-vote}</td><td>{@code pre-vote}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Run Raft's pre-vote phase before elections.</td></tr>
 * <tr><td>{@code --enable-v2}</td><td>{@code enable-v2}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Serve the etcd v2 API.</td></tr>
 * <tr><td>{@code --force-new-cluster}</td><td>{@code force-new-cluster}</td><td>bool</td><td>{@code false}</td><td>acted on</td><td>Restart as a new one-member cluster, keeping the data.</td></tr>
 * <tr><td>{@code --discovery}</td><td>{@code discovery}</td><td>string</td><td>(empty)</td><td>refused</td><td>Discovery service URL to bootstrap from.</td></tr>
 * <tr><td>{@code --discovery-fallback}</td><td>{@code discovery-fallback}</td><td>choice</td><td>{@code proxy}</td><td>accepted</td><td>What to do when discovery fails.</td></tr>
 * <tr><td>{@code --discovery-proxy}</td><td>{@code discovery-proxy}</td><td>string</td><td>(empty)</td><td>refused</td><td>HTTP proxy for discovery traffic.</td></tr>
 * <tr><td>{@code --discovery-srv}</td><td>{@code discovery-srv}</td><td>string</td><td>(empty)</td><td>refused</td><td>DNS domain to bootstrap from with SRV records.</td></tr>
 * <tr><td>{@code --discovery-srv-name}</td><td>{@code discovery-srv-name}</td><td>string</td><td>(empty)</td><td>refused</td><td>Suffix of the DNS SRV name queried at bootstrap.</td></tr>
 * <tr><td>{@code --proxy}</td><td>{@code proxy}</td><td>choice</td><td>{@code off}</td><td>refused</td><td>v2 proxy mode.</td></tr>
 * <tr><td>{@code --proxy-failure-wait}</td><td>{@code proxy-failure-wait}</td><td>uint</td><td>{@code 5000}</td><td>accepted</td><td>v2 proxy: milliseconds a failed endpoint stays failed.</td></tr>
 * <tr><td>{@code --proxy-refresh-interval}</td><td>{@code proxy-refresh-interval}</td><td>uint</td><td>{@code 30000}</td><td>accepted</td><td>v2 proxy: endpoint refresh interval, in milliseconds.</td></tr>
 * <tr><td>{@code --proxy-dial-timeout}</td><td>{@code proxy-dial-timeout}</td><td>uint</td><td>{@code 1000}</td><td>accepted</td><td>v2 proxy: dial timeout, in milliseconds.</td></tr>
 * <tr><td>{@code --proxy-write-timeout}</td><td>{@code proxy-write-timeout}</td><td>uint</td><td>{@code 5000}</td><td>accepted</td><td>v2 proxy: write timeout, in milliseconds.</td></tr>
 * <tr><td>{@code --proxy-read-timeout}</td><td>{@code proxy-read-timeout}</td><td>uint</td><td>{@code 0}</td><td>accepted</td><td>v2 proxy: read timeout, in milliseconds.</td></tr>
 * <tr><td>{@code --cert-file}</td><td>{@code client-transport-security.cert-file}</td><td>string</td><td>(empty)</td><td>refused</td><td>Client TLS certificate file.</td></tr>
 * <tr><td>{@code --key-file}</td><td>{@code client-transport-security.key-file}</td><td>string</td><td>(empty)</td><td>refused</td><td>Client TLS key file.</td></tr>
 * <tr><td>{@code --client-cert-auth}</td><td>{@code client-transport-security.client-cert-auth}</td><td>bool</td><td>{@code false}</td><td>refused</td><td>Require client certificates.</td></tr>
 * <tr><td>{@code --client-crl-file}</td><td>—</td><td>string</td><td>(empty)</td><td>refused</td><td>Client certificate revocation list.</td></tr>
 * <tr><td>{@code --client-cert-allowed-hostname}</td><td>—</td><td>string</td><td>(empty)</td><td>refused</td><td>Hostname client certificates must carry.</td></tr>
 * <tr><td>{@code --trusted-ca-file}</td><td>{@code client-transport-security.trusted-ca-file}</td><td>string</td><td>(empty)</td><td>refused</td><td>CA file for client certificates.</td></tr>
 * <tr><td>{@code --auto-tls}</td><td>{@code client-transport-security.auto-tls}</td><td>bool</td><td>{@code false}</td><td>refused</td><td>Client TLS with generated certificates.</td></tr>
 * <tr><td>{@code --peer-cert-file}</td><td>{@code peer-transport-security.cert-file}</td><td>string</td><td>(empty)</td><td>refused</td><td>Peer TLS certificate file.</td></tr>
 * <tr><td>{@code --peer-key-file}</td><td>{@code peer-transport-security.key-file}</td><td>string</td><td>(empty)</td><td>refused</td><td>Peer TLS key file.</td></tr>
 * <tr><td>{@code --peer-client-cert-auth}</td><td>{@code peer-transport-security.client-cert-auth}</td><td>bool</td><td>{@code false}</td><td>refused</td><td>Require peer client certificates.</td></tr>
 * <tr><td>{@code --peer-trusted-ca-file}</td><td>{@code peer-transport-security.trusted-ca-file}</td><td>string</td><td>(empty)</td><td>refused</td><td>CA file for peer certificates.</td></tr>
 * <tr><td>{@code --peer-cert-allowed-cn}</td><td>—</td><td>string</td><td>(empty)</td><td>refused</td><td>Common name peer certificates must carry.</td></tr>
 * <tr><td>{@code --peer-cert-allowed-hostname}</td><td>—</td><td>string</td><td>(empty)</td><td>refused</td><td>Hostname peer certificates must carry.</td></tr>
 * <tr><td>{@code --peer-auto-tls}</td><td>{@code peer-transport-security.auto-tls}</td><td>bool</td><td>{@code false}</td><td>refused</td><td>Peer TLS with generated certificates.</td></tr>
 * <tr><td>{@code --peer-crl-file}</td><td>—</td><td>string</td><td>(empty)</td><td>refused</td><td>Peer certificate revocation list.</td></tr>
 * <tr><td>{@code --cipher-suites}</td><td>{@code cipher-suites}</td><td>strings</td><td>(empty)</td><td>refused</td><td>TLS cipher suites, comma-separated.</td></tr>
 * <tr><td>{@code --experimental-peer-skip-client-san-verification}</td><td>—</td><td>bool</td><td>{@code false}</td><td>refused</td><td>Skip SAN checks of peer client certificates.</td></tr>
 * <tr><td>{@code --cors}</td><td>{@code cors}</td><td>strings</td><td>{@code *}</td><td>accepted</td><td>Origins allowed for CORS, comma-separated.</td></tr>
 * <tr><td>{@code --host-whitelist}</td><td>{@code host-whitelist}</td><td>strings</td><td>{@code *}</td><td>accepted</td><td>Host names accepted from HTTP clients, comma-separated.</td></tr>
 * <tr><td>{@code --logger}</td><td>{@code logger}</td><td>choice</td><td>{@code capnslog}</td><td>accepted</td><td>Log format: zap or capnslog.</td></tr>
 * <tr><td>{@code --log-outputs}</td><td>{@code log-outputs}</td><td>strings</td><td>{@code default}</td><td>accepted</td><td>Log targets: default, stderr, stdout or files.</td></tr>
 * <tr><td>{@code --log-output}</td><td>{@code log-output}</td><td>strings</td><td>{@code default}</td><td>accepted</td><td>Deprecated spelling of --log-outputs.</td></tr>
 * <tr><td>{@code --log-level}</td><td>{@code log-level}</td><td>choice</td><td>{@code info}</td><td>acted on</td><td>Least severe level logged.</td></tr>
 * <tr><td>{@code --debug}</td><td>{@code debug}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Deprecated: --log-level=debug.</td></tr>
 * <tr><td>{@code --log-package-levels}</td><td>{@code log-package-levels}</td><td>string</td><td>(empty)</td><td>accepted</td><td>Deprecated per-package log levels.</td></tr>
 * <tr><td>{@code --version}</td><td>—</td><td>bool</td><td>{@code false}</td><td>acted on</td><td>Print the version and exit.</td></tr>
 * <tr><td>{@code --auto-compaction-retention}</td><td>{@code auto-compaction-retention}</td><td>string</td><td>{@code 0}</td><td>accepted</td><td>How much history automatic compaction keeps (0 disables).</td></tr>
 * <tr><td>{@code --auto-compaction-mode}</td><td>{@code auto-compaction-mode}</td><td>choice</td><td>{@code periodic}</td><td>accepted</td><td>How to read --auto-compaction-retention.</td></tr>
 * <tr><td>{@code --enable-pprof}</td><td>{@code enable-pprof}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Serve runtime profiles under /debug/pprof/.</td></tr>
 * <tr><td>{@code --metrics}</td><td>{@code metrics}</td><td>choice</td><td>{@code basic}</td><td>accepted</td><td>Detail of exported metrics.</td></tr>
 * <tr><td>{@code --auth-token}</td><td>{@code auth-token}</td><td>string</td><td>{@code simple}</td><td>accepted</td><td>Auth token type and options (simple or jwt,...).</td></tr>
 * <tr><td>{@code --bcrypt-cost}</td><td>{@code bcrypt-cost}</td><td>uint</td><td>{@code 10}</td><td>accepted</td><td>bcrypt cost of password hashes (4..31).</td></tr>
 * <tr><td>{@code --auth-token-ttl}</td><td>{@code auth-token-ttl}</td><td>uint</td><td>{@code 300}</td><td>accepted</td><td>Lifetime of simple auth tokens, in seconds.</td></tr>
 * <tr><td>{@code --enable-grpc-gateway}</td><td>{@code enable-grpc-gateway}</td><td>bool</td><td>{@code true}</td><td>accepted</td><td>Serve the JSON gateway of the v3 API.</td></tr>
 * <tr><td>{@code --experimental-snapshot-catchup-entries}</td><td>{@code experimental-snapshot-catchup-entries}</td><td>uint</td><td>{@code 5000}</td><td>acted on</td><td>Entries kept in the Raft log behind a snapshot for slow followers (etcd 3.5).</td></tr>
 * <tr><td>{@code --experimental-initial-corrupt-check}</td><td>{@code experimental-initial-corrupt-check}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Check data for corruption before serving.</td></tr>
 * <tr><td>{@code --experimental-corrupt-check-time}</td><td>{@code experimental-corrupt-check-time}</td><td>duration</td><td>{@code 0s}</td><td>accepted</td><td>Interval of cluster corruption checks.</td></tr>
 * <tr><td>{@code --experimental-enable-v2v3}</td><td>{@code experimental-enable-v2v3}</td><td>string</td><td>(empty)</td><td>accepted</td><td>Serve v2 through the v3 store under this prefix.</td></tr>
 * <tr><td>{@code --experimental-backend-bbolt-freelist-type}</td><td>{@code experimental-backend-bbolt-freelist-type}</td><td>string</td><td>{@code array}</td><td>accepted</td><td>bbolt freelist type.</td></tr>
 * <tr><td>{@code --experimental-enable-lease-checkpoint}</td><td>{@code experimental-enable-lease-checkpoint}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Checkpoint lease TTLs to followers.</td></tr>
 * <tr><td>{@code --experimental-enable-lease-checkpoint-persist}</td><td>{@code experimental-enable-lease-checkpoint-persist}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Persist lease TTL checkpoints.</td></tr>
 * <tr><td>{@code --experimental-compaction-batch-limit}</td><td>{@code experimental-compaction-batch-limit}</td><td>int64</td><td>{@code 1000}</td><td>accepted</td><td>Most revisions deleted per compaction batch.</td></tr>
 * <tr><td>{@code --experimental-watch-progress-notify-interval}</td><td>{@code experimental-watch-progress-notify-interval}</td><td>duration</td><td>{@code 10m}</td><td>accepted</td><td>Interval of watch progress notifications.</td></tr>
 * <tr><td>{@code --experimental-warning-apply-duration}</td><td>{@code experimental-warning-apply-duration}</td><td>duration</td><td>{@code 100ms}</td><td>accepted</td><td>Apply duration that logs a warning.</td></tr>
 * <tr><td>{@code --unsafe-no-fsync}</td><td>{@code unsafe-no-fsync}</td><td>bool</td><td>{@code false}</td><td>accepted</td><td>Skip fsync (loses data on crash).</td></tr>
 * <tr><td>{@code --storage-backend}</td><td>{@code storage-backend}</td><td>plugin-id</td><td>{@code rocksdb}</td><td>acted on</td><td>Storage engine plugin id (rocksdb).</td></tr>
 * <tr><td>{@code --api-front-ends}</td><td>{@code api-front-ends}</td><td>plugin-ids</td><td>{@code grpc}</td><td>acted on</td><td>API front-end plugin ids to start, comma-separated (grpc).</td></tr>
 * </tbody>
 * </table>
 * {@code --version} and {@code --help} are also flags; every row's {@code ETCD_*} variable is
 * read as described above.
 */
package io.etcetera.dist.config;
