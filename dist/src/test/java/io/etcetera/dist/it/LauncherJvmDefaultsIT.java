package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image's launcher ({@code dist/src/jlink/etcetera-launcher.sh}) starts the server with its
 * small-footprint JVM defaults ({@code -XX:+UseSerialGC -Xmn16m -Xms32m},
 * {@code MALLOC_ARENA_MAX=2}), lets the operator override each family through
 * {@code ETCETERA_JAVA_OPTS} or {@code JDK_JAVA_OPTIONS}, and starts {@code etcetera benchmark}
 * with light client defaults instead ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}). The JVM
 * reports its flags with {@code -XX:+PrintCommandLineFlags}.
 */
class LauncherJvmDefaultsIT {

    private static final Duration SHORT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final Members members = new Members();

    @Test
    void serverGetsTheSerialCollectorASmallYoungGenerationAndASmallInitialHeap() {
        String flags = jvmFlags(env -> env.put("ETCETERA_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");

        assertThat(flags).contains("-XX:+UseSerialGC", "-XX:NewSize=16777216", "-XX:MaxNewSize=16777216",
                "-XX:InitialHeapSize=33554432");
    }

    @Test
    void aCollectorChosenByTheOperatorReplacesBothGcDefaults() {
        String flags = jvmFlags(env -> env.put("ETCETERA_JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintCommandLineFlags"),
                "--version");

        assertThat(flags).contains("-XX:+UseG1GC").doesNotContain("UseSerialGC", "NewSize=16777216");
    }

    @Test
    void heapSizesFromJdkJavaOptionsWinOverTheDefaults() {
        String flags = jvmFlags(env -> env.put("JDK_JAVA_OPTIONS", "-Xms64m -Xmn8m -XX:+PrintCommandLineFlags"),
                "--version");

        assertThat(flags).contains("-XX:InitialHeapSize=67108864", "-XX:NewSize=8388608", "-XX:+UseSerialGC");
    }

    @Test
    void benchmarkRunsWithLightClientDefaultsNotTheServers() {
        String flags = jvmFlags(env -> env.put("ETCETERA_JAVA_OPTS", "-XX:+PrintCommandLineFlags"),
                "benchmark", "--help");

        assertThat(flags).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .doesNotContain("NewSize=16777216", "InitialHeapSize=33554432");
    }

    @Test
    void aCollectorChosenForTheBenchmarkReplacesItsSerialDefault() {
        String flags = jvmFlags(env -> env.put("ETCETERA_JAVA_OPTS", "-XX:+UseParallelGC -XX:+PrintCommandLineFlags"),
                "benchmark", "--help");

        assertThat(flags).contains("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1").doesNotContain("UseSerialGC");
    }

    @Test
    void serverRunsWithTwoMallocArenasUnlessTheOperatorSetsThem() throws IOException {
        MemberProcess member = members.start(MemberProcess.Kind.ETCETERA, env -> env.remove("MALLOC_ARENA_MAX"));

        assertThat(environment(member.handle().pid())).contains("MALLOC_ARENA_MAX=2");
    }

    /** Runs the image's launcher with {@code args} in a bare environment changed by {@code environment}. */
    private static String jvmFlags(Consumer<Map<String, String>> environment, String... args) {
        Path launcher = Executables.etceteraImage().resolve("bin/etcetera");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Command.Result result = Command.run(command, env -> {
            env.clear();
            env.put("PATH", "/usr/bin:/bin");
            environment.accept(env);
        }, "", SHORT_COMMAND_TIMEOUT);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result.stdout() + result.stderr();
    }

    /** The environment the process {@code pid} was started with (the launcher execs java). */
    private static List<String> environment(long pid) throws IOException {
        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        return Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0"));
    }
}
