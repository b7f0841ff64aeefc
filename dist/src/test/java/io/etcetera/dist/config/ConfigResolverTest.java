package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {

    private static final String CLIENT_URLS = "http://127.0.0.1:23790";

    @Test
    void nothingGivenYieldsEtcdsDefaults() {
        ResolvedConfig resolved = ConfigResolver.resolve(Map.of(), env());
        assertThat(resolved.server()).isEqualTo(ServerConfig.defaults());
        assertThat(resolved.logLevel()).isEqualTo("info");
        assertThat(resolved.initialCluster()).hasToString("default=http://localhost:2380");
        assertThat(resolved.configFile()).isEmpty();
        assertThat(resolved.notices()).isEmpty();
    }

    @Test
    void dataDirDefaultsToNameDotEtcd() {
        assertThat(resolve(flags("name", "infra0")).dataDir()).isEqualTo(Path.of("infra0.etcd"));
        assertThat(resolve(flags("name", "infra0", "data-dir", "/var/lib/etcd")).dataDir()).isEqualTo(Path.of("/var/lib/etcd"));
    }

    @Test
    void everyActedOnFlagReachesTheServerConfig() {
        ServerConfig config = resolve(flags(
                "name", "infra0",
                "data-dir", "/data",
                "listen-client-urls", "http://127.0.0.1:23790,http://[::1]:23790",
                "advertise-client-urls", "http://10.0.0.1:2379,http://10.0.0.2:2379",
                "initial-advertise-peer-urls", "http://10.0.0.1:2380",
                "initial-cluster", "infra0=http://10.0.0.1:2380",
                "initial-cluster-token", "tkn",
                "max-txn-ops", "64",
                "max-request-bytes", "10485760",
                "storage-backend", "lmdb",
                "api-front-ends", "grpc,rest",
                "listen-peer-urls", "http://127.0.0.1:2380",
                "heartbeat-interval", "50",
                "election-timeout", "700",
                "snapshot-count", "1000",
                "experimental-snapshot-catchup-entries", "200",
                "max-snapshots", "0",
                "max-wals", "3"));
        assertThat(config).isEqualTo(new ServerConfig(
                "infra0",
                Path.of("/data"),
                List.of(URI.create("http://127.0.0.1:23790"), URI.create("http://[::1]:23790")),
                List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")),
                List.of(URI.create("http://10.0.0.1:2380")),
                "tkn",
                64,
                10_485_760L,
                "lmdb",
                List.of("grpc", "rest"),
                Map.of("infra0", List.of(URI.create("http://10.0.0.1:2380"))),
                List.of(URI.create("http://127.0.0.1:2380")),
                50,
                700).withSnapshots(new ServerConfig.Snapshots(1000, 200, 0, 3)));
    }

    @Test
    void snapshotCountZeroMeansEtcdsDefaultAndCatchUpEntriesMustBePositive() {
        assertThat(resolve(flags("snapshot-count", "0")).snapshots()).isEqualTo(ServerConfig.Snapshots.DEFAULTS);
        assertThatThrownBy(() -> resolve(flags("experimental-snapshot-catchup-entries", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--experimental-snapshot-catchup-entries");
        assertThat(ConfigResolver.resolve(flags("max-wals", "2"), env()).notices())
                .as("an acted-on flag logs no 'not acted on' warning").isEmpty();
    }

    @Test
    void flagWinsOverDefaultAndEnvironmentFillsTheRest() {
        ResolvedConfig resolved = ConfigResolver.resolve(flags("name", "from-flag"),
                env("ETCD_MAX_TXN_OPS", "7", "ETCD_DATA_DIR", "/env-dir"));
        assertThat(resolved.server().name()).isEqualTo("from-flag");
        assertThat(resolved.server().maxTxnOps()).isEqualTo(7);
        assertThat(resolved.server().dataDir()).isEqualTo(Path.of("/env-dir"));
        assertThat(resolved.server().maxRequestBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
        assertThat(resolved.notices()).contains(
                Notice.info("recognized and used environment variable ETCD_MAX_TXN_OPS=7"),
                Notice.info("recognized and used environment variable ETCD_DATA_DIR=/env-dir"));
    }

    @Test
    void environmentWinsOverDefault() {
        assertThat(ConfigResolver.resolve(Map.of(), env("ETCD_NAME", "from-env")).server().name()).isEqualTo("from-env");
    }

    @Test
    void flagAndItsVariableTogetherFailAsInEtcd34() {
        assertThatThrownBy(() -> ConfigResolver.resolve(flags("name", "a"), env("ETCD_NAME", "b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag");
    }

    @Test
    void configFileIsTheWholeConfigurationAndIgnoresFlagsAndEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("etcd.yml"), """
                name: from-file
                listen-client-urls: http://127.0.0.1:23790
                max-txn-ops: 32
                """);
        ResolvedConfig resolved = ConfigResolver.resolve(
                flags("config-file", file.toString(), "name", "from-flag", "max-request-bytes", "99"),
                env("ETCD_NAME", "from-env", "ETCD_DATA_DIR", "/env-dir", "ETCD_BOGUS", "1"));
        ServerConfig config = resolved.server();
        assertThat(config.name()).isEqualTo("from-file");
        assertThat(config.dataDir()).isEqualTo(Path.of("from-file.etcd"));
        assertThat(config.maxTxnOps()).isEqualTo(32);
        assertThat(config.maxRequestBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
        // etcd's rule about --advertise-client-urls applies to flags only: the file keeps the default.
        assertThat(config.advertiseClientUrls()).containsExactly(URI.create("http://localhost:2379"));
        assertThat(resolved.configFile()).contains(file);
        assertThat(resolved.notices()).containsExactly(
                Notice.info("loaded server configuration from " + file + "; other command line flags and environment variables are ignored"),
                Notice.warning("ignoring --name, --max-request-bytes because a config file is given"));
    }

    @Test
    void configFileMayComeFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("etcd.yml"), "name: from-file\n");
        ResolvedConfig resolved = ConfigResolver.resolve(flags("name", "from-flag"), env("ETCD_CONFIG_FILE", file.toString()));
        assertThat(resolved.server().name()).isEqualTo("from-file");
    }

    @Test
    void configFileFlagWinsOverItsVariable(@TempDir Path dir) throws Exception {
        Path fromFlag = Files.writeString(dir.resolve("a.yml"), "name: a\n");
        Path fromEnv = Files.writeString(dir.resolve("b.yml"), "name: b\n");
        ResolvedConfig resolved = ConfigResolver.resolve(flags("config-file", fromFlag.toString()),
                env("ETCD_CONFIG_FILE", fromEnv.toString()));
        assertThat(resolved.server().name()).isEqualTo("a");
    }

    @Test
    void malformedConfigFileValueNamesTheKeyAndFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("etcd.yml"), "max-txn-ops: lots\n");
        assertThatThrownBy(() -> ConfigResolver.resolve(flags("config-file", file.toString()), env()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value \"lots\" for max-txn-ops in " + file + ": not an unsigned integer");
    }

    @Test
    void listenClientUrlsWithoutAdvertiseClientUrlsFailsOnTheCommandLine() {
        assertThatThrownBy(() -> ConfigResolver.resolve(flags("listen-client-urls", CLIENT_URLS), env()))
                .hasMessage("--advertise-client-urls is required when --listen-client-urls is set explicitly");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), env("ETCD_LISTEN_CLIENT_URLS", CLIENT_URLS)))
                .hasMessage("--advertise-client-urls is required when --listen-client-urls is set explicitly");
    }

    @Test
    void malformedValuesNameTheOptionAndValue() {
        assertThatThrownBy(() -> resolve(flags("max-txn-ops", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value \"abc\" for --max-txn-ops: not an unsigned integer");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), env("ETCD_MAX_REQUEST_BYTES", "1.5MB")))
                .hasMessage("invalid value \"1.5MB\" for ETCD_MAX_REQUEST_BYTES: not an unsigned integer");
        assertThatThrownBy(() -> resolve(flags("listen-client-urls", "ftp://127.0.0.1:1", "advertise-client-urls", CLIENT_URLS)))
                .hasMessage("invalid value \"ftp://127.0.0.1:1\" for --listen-client-urls: URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:1");
        assertThatThrownBy(() -> resolve(flags("advertise-client-urls", "http://host")))
                .hasMessage("invalid value \"http://host\" for --advertise-client-urls: URL address does not have the form \"host:port\": http://host");
        assertThatThrownBy(() -> resolve(flags("initial-cluster-state", "old")))
                .hasMessage("invalid value \"old\" for --initial-cluster-state: valid values are new, existing");
        assertThatThrownBy(() -> resolve(flags("enable-pprof", "maybe")))
                .hasMessage("invalid value \"maybe\" for --enable-pprof: not a boolean (true or false)");
        assertThatThrownBy(() -> resolve(flags("grpc-keepalive-timeout", "20")))
                .hasMessageStartingWith("invalid value \"20\" for --grpc-keepalive-timeout: not a duration");
        assertThatThrownBy(() -> resolve(flags("storage-backend", "Rocks DB")))
                .hasMessageStartingWith("invalid value \"Rocks DB\" for --storage-backend: a plugin id is lowercase");
    }

    @Test
    void limitsMustBePositiveAndFitTheServer() {
        assertThatThrownBy(() -> resolve(flags("max-txn-ops", "0")))
                .hasMessage("invalid value \"0\" for --max-txn-ops: must be in range 1..2147483647");
        assertThatThrownBy(() -> resolve(flags("max-request-bytes", "0")))
                .hasMessage("invalid value \"0\" for --max-request-bytes: must be in range 1..2147483647");
        assertThatThrownBy(() -> resolve(flags("max-txn-ops", "4294967296")))
                .hasMessage("invalid value \"4294967296\" for --max-txn-ops: must be in range 1..2147483647");
    }

    @Test
    void listenUrlsMustBeBindableAndPlainHttp() {
        assertThatThrownBy(() -> resolve(flags("listen-client-urls", "http://example.com:2379", "advertise-client-urls", CLIENT_URLS)))
                .hasMessage("invalid value \"http://example.com:2379\" for --listen-client-urls: expected IP in URL for binding (http://example.com:2379)");
        assertThatThrownBy(() -> resolve(flags("listen-client-urls", "https://127.0.0.1:2379", "advertise-client-urls", CLIENT_URLS)))
                .hasMessage("invalid value \"https://127.0.0.1:2379\" for --listen-client-urls: etcetera serves http:// client URLs only for now (no TLS or unix sockets yet)");
        assertThatThrownBy(() -> resolve(flags("listen-client-urls", "", "advertise-client-urls", CLIENT_URLS)))
                .hasMessage("--listen-client-urls must name at least one URL");
    }

    @Test
    void advertisedUrlsNeedAHost() {
        assertThatThrownBy(() -> resolve(flags("advertise-client-urls", "http://:2379")))
                .hasMessage("--advertise-client-urls \"http://:2379\" must be \"host:port\" (unexpected empty host (http://:2379))");
    }

    @Test
    void optionNotActedOnIsValidatedAndWarnedAboutOnlyWhenNotDefault() {
        ResolvedConfig resolved = ConfigResolver.resolve(
                flags("logger", "zap", "initial-cluster-state", "new", "listen-peer-urls", "http://127.0.0.1:2380", "heartbeat-interval", "50"),
                env());
        assertThat(resolved.notices()).containsExactly(
                Notice.warning("ignoring --logger=zap: not acted on by etcetera yet (etcetera logs one line per event to stderr)"));
    }

    @Test
    void bootstrapFlagsReachTheServerConfig() {
        assertThat(resolve(flags()).bootstrap()).isEqualTo(ServerConfig.Bootstrap.DEFAULTS);
        ServerConfig joining = resolve(flags("initial-cluster-state", "existing", "strict-reconfig-check", "false",
                "force-new-cluster", "true"));
        assertThat(joining.bootstrap()).isEqualTo(
                new ServerConfig.Bootstrap(ServerConfig.ClusterState.EXISTING, true, false));
    }

    @Test
    void aStaticClusterIsPassedToTheKernel() {
        ServerConfig server = resolve(flags("name", "n2",
                "initial-advertise-peer-urls", "http://127.0.0.1:2482",
                "listen-peer-urls", "http://127.0.0.1:2482",
                "initial-cluster", "n1=http://127.0.0.1:2481,n2=http://127.0.0.1:2482,n3=http://127.0.0.1:2483",
                "heartbeat-interval", "50", "election-timeout", "500"));

        assertThat(server.initialCluster()).containsOnlyKeys("n1", "n2", "n3");
        assertThat(server.initialCluster().get("n3")).containsExactly(URI.create("http://127.0.0.1:2483"));
        assertThat(server.listenPeerUrls()).containsExactly(URI.create("http://127.0.0.1:2482"));
        assertThat(server.heartbeatIntervalMs()).isEqualTo(50);
        assertThat(server.electionTimeoutMs()).isEqualTo(500);
    }

    @Test
    void logOutputsStderrIsWhatEtceteraDoesAndNeedsNoWarning() {
        assertThat(ConfigResolver.resolve(flags("log-outputs", "stderr"), env()).notices()).isEmpty();
        assertThat(ConfigResolver.resolve(flags("log-outputs", "stdout"), env()).notices()).hasSize(1);
    }

    @Test
    void refusedOptionFailsUnlessItHasTheDefaultValue() {
        assertThatThrownBy(() -> resolve(flags("cert-file", "/etc/ssl/server.pem")))
                .hasMessage("--cert-file=/etc/ssl/server.pem is not supported: etcetera serves plain http only for now");
        assertThatThrownBy(() -> ConfigResolver.resolve(Map.of(), env("ETCD_DISCOVERY", "https://discovery.etcd.io/x")))
                .hasMessage("ETCD_DISCOVERY=https://discovery.etcd.io/x is not supported: etcetera bootstraps a single member from --initial-cluster only");
        assertThat(ConfigResolver.resolve(flags("client-cert-auth", "false", "proxy", "off"), env()).notices()).isEmpty();
    }

    @Test
    void refusedTlsInConfigFileNamesTheNestedKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("etcd.yml"), "client-transport-security:\n  auto-tls: true\n");
        assertThatThrownBy(() -> ConfigResolver.resolve(flags("config-file", file.toString()), env()))
                .hasMessage("client-transport-security.auto-tls: true in " + file + " is not supported: etcetera serves plain http only for now");
    }

    @Test
    void raftTimingIsValidatedWithEtcdsRules() {
        assertThatThrownBy(() -> resolve(flags("heartbeat-interval", "0")))
                .hasMessage("--heartbeat-interval must be >0 (set to 0ms)");
        assertThatThrownBy(() -> resolve(flags("heartbeat-interval", "300")))
                .hasMessage("--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[300ms]");
        assertThatThrownBy(() -> resolve(flags("election-timeout", "60000")))
                .hasMessage("--election-timeout[60000ms] is too long, and should be set less than 50000ms");
    }

    @Test
    void initialClusterDefaultsToThisMemberWithItsPeerUrls() {
        ResolvedConfig resolved = ConfigResolver.resolve(
                flags("name", "infra0", "initial-advertise-peer-urls", "http://10.0.0.1:2380"), env());
        assertThat(resolved.initialCluster()).hasToString("infra0=http://10.0.0.1:2380");
    }

    @Test
    void initialClusterMustNameThisMember() {
        assertThat(resolve(flags("name", "infra0")).name()).isEqualTo("infra0");
        assertThatThrownBy(() -> resolve(flags("name", "infra0", "initial-cluster", "default=http://localhost:2380")))
                .hasMessage("couldn't find local name \"infra0\" in the initial cluster configuration");
        assertThatThrownBy(() -> resolve(flags("initial-cluster", "")))
                .hasMessage("initial cluster unset and no discovery URL found");
    }

    @Test
    void logLevelIsPassedToTheLauncher() {
        assertThat(ConfigResolver.resolve(flags("log-level", "debug"), env()).logLevel()).isEqualTo("debug");
        assertThatThrownBy(() -> resolve(flags("log-level", "verbose")))
                .hasMessage("invalid value \"verbose\" for --log-level: valid values are debug, info, warn, error, panic, fatal");
    }

    private static ServerConfig resolve(Map<String, RawValue> flags) {
        return ConfigResolver.resolve(flags, env()).server();
    }

    private static Map<String, RawValue> flags(String... namesAndValues) {
        Map<String, RawValue> flags = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            flags.put(namesAndValues[i], new RawValue(namesAndValues[i + 1], Origin.flag(namesAndValues[i])));
        }
        return flags;
    }

    private static EnvironmentSource env(String... namesAndValues) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            variables.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new EnvironmentSource(variables);
    }
}
