package io.etcetera.dist.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<ServerConfig> started = new ArrayList<>();

    @Test
    void runsTheMemberWithTheResolvedConfigAndReturnsItsStatus() {
        int status = execute(Map.of("ETCD_MAX_TXN_OPS", "16"), "--name", "infra0",
                "--listen-client-urls", "http://127.0.0.1:23790", "--advertise-client-urls", "http://127.0.0.1:23790");
        assertThat(status).isZero();
        assertThat(started).hasSize(1);
        ServerConfig config = started.get(0);
        assertThat(config.name()).isEqualTo("infra0");
        assertThat(config.dataDir()).isEqualTo(Path.of("infra0.etcd"));
        assertThat(config.maxTxnOps()).isEqualTo(16);
        assertThat(config.listenClientUrls()).containsExactly(URI.create("http://127.0.0.1:23790"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void goFlagSyntaxWorksEndToEnd() {
        assertThat(execute(Map.of(), "-name=infra1", "-data-dir", "/d")).isZero();
        assertThat(started.get(0).name()).isEqualTo("infra1");
        assertThat(started.get(0).dataDir()).isEqualTo(Path.of("/d"));
    }

    @Test
    void configFileFromTheCommandLineIsUsed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("etcd.yml"), "name: from-file\nmax-request-bytes: 2097152\n");
        assertThat(execute(Map.of("ETCD_NAME", "from-env"), "--config-file", file.toString())).isZero();
        assertThat(started.get(0).name()).isEqualTo("from-file");
        assertThat(started.get(0).maxRequestBytes()).isEqualTo(2_097_152L);
    }

    @Test
    void versionPrintsEtcdShapedLinesAndStartsNothing() {
        assertThat(execute(Map.of(), "--version")).isZero();
        assertThat(out.toString().lines().toList()).satisfiesExactly(
                line -> assertThat(line).matches("etcetera Version: \\S+"),
                line -> assertThat(line).isEqualTo("etcd API Version: 3.4"),
                line -> assertThat(line).startsWith("Java Version: " + Runtime.version().feature()),
                line -> assertThat(line).matches("Java OS/Arch: \\S+/\\S+"));
        assertThat(started).isEmpty();
    }

    @Test
    void versionComesFromTheModuleDescriptor() {
        assertThat(VersionInfo.etceteraVersion()).isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsTheEtcdFlagsAndStartsNothing() {
        assertThat(execute(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("etcetera [flags]", "--name", "--data-dir", "--listen-client-urls",
                "--advertise-client-urls", "--initial-advertise-peer-urls", "--initial-cluster-token", "--max-txn-ops",
                "--max-request-bytes", "--config-file", "--storage-backend", "--api-front-ends", "--version", "Default: 1572864");
        assertThat(started).isEmpty();
    }

    @Test
    void unknownFlagFailsWithUsageStatusInOneLine() {
        assertThat(execute(Map.of(), "--bogus")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("etcetera: Unknown option: '--bogus'. See 'etcetera --help'." + System.lineSeparator());
        assertThat(started).isEmpty();
    }

    @Test
    void positionalArgumentFailsWithUsageStatus() {
        assertThat(execute(Map.of(), "extra")).isEqualTo(Launcher.USAGE_ERROR);
        assertThat(err.toString()).contains("'extra'").doesNotContain("\tat ");
    }

    @Test
    void malformedValueFailsWithStatusOneAndOneLineNamingOptionAndValue() {
        assertThat(execute(Map.of(), "--max-txn-ops=abc")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("etcetera: error verifying flags, invalid value \"abc\" for --max-txn-ops:"
                + " not an unsigned integer. See 'etcetera --help'." + System.lineSeparator());
        assertThat(started).isEmpty();
    }

    @Test
    void unknownConfigFileKeyFailsWithStatusOne(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("etcd.yml"), "name: x\nbogus-key: 1\n");
        assertThat(execute(Map.of(), "--config-file=" + file)).isEqualTo(1);
        assertThat(err.toString()).contains("unknown key \"bogus-key\" in config file " + file).hasLineCount(1);
    }

    @Test
    void memberThatCannotStartFailsWithStatusOneAndNoStackTrace() {
        ServerRunner portTaken = config -> {
            throw new IOException("Address already in use: 127.0.0.1:23790");
        };
        int status = Launcher.execute(new String[] {"--name", "infra0"}, Map.of(), portTaken, new PrintWriter(out), new PrintWriter(err));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("etcetera: cannot start member infra0: Address already in use: 127.0.0.1:23790"
                + System.lineSeparator());
    }

    @Test
    void unknownPluginFailsWithStatusOne() {
        ServerRunner noSuchPlugin = config -> {
            throw new IllegalArgumentException("no storage backend named " + config.storageBackend());
        };
        int status = Launcher.execute(new String[] {"--storage-backend", "lmdb"}, Map.of(), noSuchPlugin, new PrintWriter(out), new PrintWriter(err));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("cannot start member default: no storage backend named lmdb");
    }

    @Test
    void runnerStatusIsTheExitStatus() {
        int status = Launcher.execute(new String[0], Map.of(), config -> 3, new PrintWriter(out), new PrintWriter(err));
        assertThat(status).isEqualTo(3);
    }

    @Test
    void aSubcommandCanBeAddedWithoutChangingTheServerFlags() {
        picocli.CommandLine commandLine = Launcher.commandLine(Map.of(), config -> {
            started.add(config);
            return 0;
        }, new PrintWriter(out), new PrintWriter(err));
        commandLine.addSubcommand("probe", new Probe());
        assertThat(commandLine.execute("probe", "--count", "3")).isEqualTo(3);
        assertThat(started).isEmpty();
        assertThat(commandLine.execute("--name", "x")).isZero();
        assertThat(started).extracting(ServerConfig::name).containsExactly("x");
    }

    @picocli.CommandLine.Command(name = "probe")
    static final class Probe implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Option(names = "--count")
        int count;

        @Override
        public Integer call() {
            return count;
        }
    }

    private int execute(Map<String, String> environment, String... args) {
        return Launcher.execute(args, environment, config -> {
            started.add(config);
            return 0;
        }, new PrintWriter(out), new PrintWriter(err));
    }
}
