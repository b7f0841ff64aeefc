package io.etcetera.dist.config;

import static io.etcetera.dist.config.EtcdOptions.ADVERTISE_CLIENT_URLS;
import static io.etcetera.dist.config.EtcdOptions.API_FRONT_ENDS;
import static io.etcetera.dist.config.EtcdOptions.CONFIG_FILE;
import static io.etcetera.dist.config.EtcdOptions.DATA_DIR;
import static io.etcetera.dist.config.EtcdOptions.ELECTION_TIMEOUT;
import static io.etcetera.dist.config.EtcdOptions.FORCE_NEW_CLUSTER;
import static io.etcetera.dist.config.EtcdOptions.HEARTBEAT_INTERVAL;
import static io.etcetera.dist.config.EtcdOptions.INITIAL_ADVERTISE_PEER_URLS;
import static io.etcetera.dist.config.EtcdOptions.INITIAL_CLUSTER;
import static io.etcetera.dist.config.EtcdOptions.INITIAL_CLUSTER_STATE;
import static io.etcetera.dist.config.EtcdOptions.INITIAL_CLUSTER_TOKEN;
import static io.etcetera.dist.config.EtcdOptions.LISTEN_CLIENT_URLS;
import static io.etcetera.dist.config.EtcdOptions.MAX_SNAPSHOTS;
import static io.etcetera.dist.config.EtcdOptions.MAX_WALS;
import static io.etcetera.dist.config.EtcdOptions.SNAPSHOT_CATCHUP_ENTRIES;
import static io.etcetera.dist.config.EtcdOptions.SNAPSHOT_COUNT;
import static io.etcetera.dist.config.EtcdOptions.LISTEN_PEER_URLS;
import static io.etcetera.dist.config.EtcdOptions.LOG_LEVEL;
import static io.etcetera.dist.config.EtcdOptions.MAX_REQUEST_BYTES;
import static io.etcetera.dist.config.EtcdOptions.MAX_TXN_OPS;
import static io.etcetera.dist.config.EtcdOptions.NAME;
import static io.etcetera.dist.config.EtcdOptions.STORAGE_BACKEND;
import static io.etcetera.dist.config.EtcdOptions.STRICT_RECONFIG_CHECK;

import io.etcetera.kernel.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the command line, the environment and the config file into one {@link ResolvedConfig},
 * with etcd 3.4's precedence ({@code etcdmain/config.go parse}, {@code pkg/flags/flag.go}):
 * <ol>
 *   <li>When {@code --config-file} (or, without that flag, {@code ETCD_CONFIG_FILE}) names a
 *       file, the file is the whole configuration: every other flag and {@code ETCD_*} variable
 *       is ignored, and options absent from the file take etcd's defaults.</li>
 *   <li>Otherwise a flag wins over etcd's default, and an {@code ETCD_*} variable fills in a flag
 *       that was not given. A variable and its flag both present is an error (etcd 3.4 exits with
 *       "conflicting environment variable ... is shadowed").</li>
 *   <li>{@code --listen-client-urls} given without {@code --advertise-client-urls} is an error
 *       on the command line (not in a config file), as in etcd.</li>
 * </ol>
 * Every value is parsed and validated whatever its support; an option not acted on yet with a
 * non-default value yields a warning notice, a refused one fails. Pure: the only I/O is reading
 * the config file. Thread-safe.
 */
public final class ConfigResolver {

    /** etcd's upper bound for {@code --election-timeout}, in milliseconds ({@code embed/config.go maxElectionMs}). */
    static final long MAX_ELECTION_TIMEOUT_MS = 50_000;

    /**
     * Values of options not acted on that already describe what etcetera does, so they need no
     * warning: etcetera always logs to stderr.
     */
    private static final Map<String, Object> VALUES_ETCETERA_HONOURS = Map.of(
            "log-outputs", List.of("stderr"),
            "log-output", List.of("stderr"));

    private ConfigResolver() {
    }

    /**
     * Resolves the configuration.
     *
     * @param flags the etcd flags given on the command line, by option name (see {@link EtcdFlags#matched})
     * @param environment the process environment
     * @throws ConfigException with a one-line message naming the option and value at fault
     */
    public static ResolvedConfig resolve(Map<String, RawValue> flags, EnvironmentSource environment) {
        List<Notice> notices = new ArrayList<>();
        Optional<String> configFile = Optional.ofNullable(flags.get(CONFIG_FILE))
                .map(RawValue::text)
                .filter(text -> !text.isEmpty())
                .or(environment::configFile);
        Map<String, RawValue> given;
        if (configFile.isPresent()) {
            given = YamlConfigFile.read(Path.of(configFile.get()));
            notices.add(Notice.info("loaded server configuration from " + configFile.get()
                    + "; other command line flags and environment variables are ignored"));
            List<String> ignored = flags.keySet().stream().filter(n -> !n.equals(CONFIG_FILE)).map(n -> "--" + n).toList();
            if (!ignored.isEmpty()) {
                notices.add(Notice.warning("ignoring " + String.join(", ", ignored) + " because a config file is given"));
            }
        } else {
            EnvironmentSource.Reading reading = environment.read(flags);
            notices.addAll(reading.notices());
            given = new LinkedHashMap<>(reading.values());
            given.putAll(flags);
        }
        Settings settings = Settings.parse(given);
        notices.addAll(checkSupport(settings));
        validateRaftTiming(settings);
        if (configFile.isEmpty() && settings.isGiven(LISTEN_CLIENT_URLS) && !settings.isGiven(ADVERTISE_CLIENT_URLS)) {
            throw new ConfigException("--advertise-client-urls is required when --listen-client-urls is set explicitly");
        }
        ServerConfig single = serverConfig(settings);
        InitialCluster cluster = initialCluster(settings, single);
        ServerConfig server = new ServerConfig(single.name(), single.dataDir(), single.listenClientUrls(),
                single.advertiseClientUrls(), single.initialAdvertisePeerUrls(), single.initialClusterToken(),
                single.maxTxnOps(), single.maxRequestBytes(), single.storageBackend(), single.apiFrontEnds(),
                cluster.peerUrlsByName(), settings.urls(LISTEN_PEER_URLS), settings.longValue(HEARTBEAT_INTERVAL),
                settings.longValue(ELECTION_TIMEOUT)).withBootstrap(bootstrap(settings)).withSnapshots(snapshots(settings));
        return new ResolvedConfig(server, settings.string(LOG_LEVEL), cluster, configFile.map(Path::of), notices);
    }

    private static List<Notice> checkSupport(Settings settings) {
        List<Notice> notices = new ArrayList<>();
        for (EtcdOption option : EtcdOptions.all()) {
            RawValue raw = settings.raw(option.name());
            Object value = settings.value(option.name());
            if (raw == null || value.equals(option.parsedDefault()) || value.equals(VALUES_ETCETERA_HONOURS.get(option.name()))) {
                continue;
            }
            String shown = raw.origin().describe(raw.text());
            switch (option.support()) {
                case ACTED_ON -> { }
                case NOT_YET -> notices.add(Notice.warning("ignoring " + shown + ": not acted on by etcetera yet (" + option.note() + ")"));
                case REFUSED -> throw new ConfigException(shown + " is not supported: " + option.note());
            }
        }
        return notices;
    }

    /** {@code --initial-cluster-state}, {@code --force-new-cluster}, {@code --strict-reconfig-check}. */
    private static ServerConfig.Bootstrap bootstrap(Settings settings) {
        ServerConfig.ClusterState state = settings.string(INITIAL_CLUSTER_STATE).equals("existing")
                ? ServerConfig.ClusterState.EXISTING : ServerConfig.ClusterState.NEW;
        return new ServerConfig.Bootstrap(state, (Boolean) settings.value(FORCE_NEW_CLUSTER),
                (Boolean) settings.value(STRICT_RECONFIG_CHECK));
    }

    /**
     * {@code --snapshot-count}, {@code --experimental-snapshot-catchup-entries},
     * {@code --max-snapshots}, {@code --max-wals}. etcd takes a snapshot count of 0 as its
     * default (100,000), and so does etcetera; the catch-up entries must be positive.
     */
    private static ServerConfig.Snapshots snapshots(Settings settings) {
        long count = settings.longValue(SNAPSHOT_COUNT);
        long catchUp = settings.longValue(SNAPSHOT_CATCHUP_ENTRIES);
        if (catchUp == 0) {
            throw new ConfigException("--" + SNAPSHOT_CATCHUP_ENTRIES + " must be > 0");
        }
        return new ServerConfig.Snapshots(count == 0 ? ServerConfig.Snapshots.DEFAULTS.snapshotCount() : count, catchUp,
                (int) settings.bounded(MAX_SNAPSHOTS, 0, Integer.MAX_VALUE), (int) settings.bounded(MAX_WALS, 0, Integer.MAX_VALUE));
    }

    /** etcd's checks of the Raft timing ({@code embed/config.go Validate}). */
    private static void validateRaftTiming(Settings settings) {
        long heartbeatMs = settings.longValue(HEARTBEAT_INTERVAL);
        long electionMs = settings.longValue(ELECTION_TIMEOUT);
        if (heartbeatMs <= 0) {
            throw new ConfigException("--heartbeat-interval must be >0 (set to " + heartbeatMs + "ms)");
        }
        if (electionMs <= 0) {
            throw new ConfigException("--election-timeout must be >0 (set to " + electionMs + "ms)");
        }
        if (5 * heartbeatMs > electionMs) {
            throw new ConfigException("--election-timeout[" + electionMs + "ms] should be at least as 5 times as --heartbeat-interval["
                    + heartbeatMs + "ms]");
        }
        if (electionMs > MAX_ELECTION_TIMEOUT_MS) {
            throw new ConfigException("--election-timeout[" + electionMs + "ms] is too long, and should be set less than "
                    + MAX_ELECTION_TIMEOUT_MS + "ms");
        }
    }

    private static ServerConfig serverConfig(Settings settings) {
        String name = settings.string(NAME);
        String dataDir = settings.string(DATA_DIR);
        List<URI> listenClientUrls = settings.urls(LISTEN_CLIENT_URLS);
        if (listenClientUrls.isEmpty()) {
            throw new ConfigException(settings.label(LISTEN_CLIENT_URLS) + " must name at least one URL");
        }
        for (URI url : listenClientUrls) {
            if (!url.getScheme().equals("http")) {
                throw new ConfigException("invalid value \"" + url + "\" for " + settings.label(LISTEN_CLIENT_URLS)
                        + ": etcetera serves http:// client URLs only for now (no TLS or unix sockets yet)");
            }
        }
        List<URI> advertiseClientUrls = settings.urls(ADVERTISE_CLIENT_URLS);
        requireHosts(advertiseClientUrls, settings.label(ADVERTISE_CLIENT_URLS));
        List<URI> advertisePeerUrls = settings.urls(INITIAL_ADVERTISE_PEER_URLS);
        requireHosts(advertisePeerUrls, settings.label(INITIAL_ADVERTISE_PEER_URLS));
        return new ServerConfig(
                name,
                Path.of(dataDir.isEmpty() ? name + ".etcd" : dataDir),
                listenClientUrls,
                advertiseClientUrls,
                advertisePeerUrls,
                settings.string(INITIAL_CLUSTER_TOKEN),
                (int) settings.bounded(MAX_TXN_OPS, 1, Integer.MAX_VALUE),
                settings.bounded(MAX_REQUEST_BYTES, 1, Integer.MAX_VALUE),
                settings.string(STORAGE_BACKEND),
                settings.strings(API_FRONT_ENDS));
    }

    /** etcd's {@code checkHostURLs}: an advertised URL must name a host. */
    private static void requireHosts(List<URI> urls, String label) {
        for (URI url : urls) {
            if (EtcdUrls.hostOf(url).isEmpty()) {
                throw new ConfigException(label + " \"" + EtcdUrls.join(urls) + "\" must be \"host:port\" (unexpected empty host ("
                        + url + "))");
            }
        }
    }

    private static InitialCluster initialCluster(Settings settings, ServerConfig server) {
        InitialCluster cluster = settings.isGiven(INITIAL_CLUSTER)
                ? (InitialCluster) settings.value(INITIAL_CLUSTER)
                : InitialCluster.ofSingleMember(server.name(), server.initialAdvertisePeerUrls());
        if (cluster.peerUrlsByName().isEmpty()) {
            throw new ConfigException("initial cluster unset and no discovery URL found");
        }
        try {
            cluster.requireLocalMember(server.name(), server.initialAdvertisePeerUrls());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return cluster;
    }

    /** Every option's value: parsed from what was given, else etcd's default. */
    private record Settings(Map<String, RawValue> given, Map<String, Object> values) {

        static Settings parse(Map<String, RawValue> given) {
            Map<String, Object> values = new HashMap<>();
            for (EtcdOption option : EtcdOptions.all()) {
                RawValue raw = given.get(option.name());
                values.put(option.name(), raw == null ? option.parsedDefault() : option.parse(raw.text(), raw.origin()));
            }
            return new Settings(given, values);
        }

        boolean isGiven(String name) {
            return given.containsKey(name);
        }

        RawValue raw(String name) {
            return given.get(name);
        }

        Object value(String name) {
            return values.get(name);
        }

        String label(String name) {
            RawValue raw = given.get(name);
            return raw == null ? "--" + name : raw.origin().label();
        }

        String string(String name) {
            return (String) values.get(name);
        }

        long longValue(String name) {
            return (Long) values.get(name);
        }

        long bounded(String name, long min, long max) {
            long value = longValue(name);
            if (value < min || value > max) {
                String shown = given.containsKey(name) ? given.get(name).text() : Long.toString(value);
                throw new ConfigException("invalid value \"" + shown + "\" for " + label(name) + ": must be in range " + min + ".." + max);
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        List<URI> urls(String name) {
            return (List<URI>) values.get(name);
        }

        @SuppressWarnings("unchecked")
        List<String> strings(String name) {
            return (List<String>) values.get(name);
        }
    }
}
