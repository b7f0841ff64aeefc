package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jlink image at {@code etcetera.image} is self-contained: its launcher answers
 * {@code --version}, rejects unknown flags, and runs a member on the image's own Java runtime
 * with no {@code JAVA_HOME} and no JDK directory on {@code PATH}.
 */
class ImageIT {

    /** Longest time a short command from the image (version, bad flag, module list) may take. */
    private static final Duration SHORT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** A bare environment: no JAVA_HOME, no JDK directory on PATH (only the OS's). */
    private static final Consumer<Map<String, String>> BARE_ENVIRONMENT = env -> {
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
    };

    @RegisterExtension
    final Members members = new Members();

    @Test
    void imageHasItsLauncherAndItsOwnJava() {
        Path image = Executables.etceteraImage();

        assertThat(image.resolve("bin/etcetera")).isRegularFile().isExecutable();
        assertThat(image.resolve("bin/java")).isRegularFile().isExecutable();
        assertThat(image.resolve("lib/modules")).as("the jlink module image").isRegularFile();
    }

    @Test
    void versionFlagPrintsAVersionAndExitsZero() {
        Command.Result version = fromImage(List.of("bin/etcetera", "--version"));

        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.stdout()).as("%s", version).isNotBlank();
    }

    @Test
    void unknownFlagExitsNonZeroNamingTheFlag() {
        Command.Result unknown = fromImage(List.of("bin/etcetera", "--no-such-flag"));

        assertThat(unknown.exitCode()).as("%s", unknown).isNotZero();
        assertThat(unknown.stdout() + unknown.stderr()).as("%s", unknown).contains("--no-such-flag");
    }

    @Test
    void imageJavaIsItsOwnAndHoldsTheEtceteraModules() {
        Command.Result version = fromImage(List.of("bin/java", "-version"));
        Command.Result modules = fromImage(List.of("bin/java", "--list-modules"));

        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.stderr()).as("%s", version).contains("17");
        assertThat(modules.exitCode()).as("%s", modules).isZero();
        assertThat(modules.stdout().lines().map(ImageIT::moduleName))
                .contains("io.etcetera.kernel", "io.etcetera.storage.rocksdb", "io.etcetera.spi",
                        "io.etcetera.api.grpc", "io.etcetera.dist");
    }

    @Test
    void memberStartsWithoutJavaHomeOrJdkOnPathAndServesEtcdctl() throws IOException {
        MemberProcess member = members.start(MemberProcess.Kind.ETCETERA, BARE_ENVIRONMENT);
        Etcdctl etcdctl = member.etcdctl();

        Command.Result put = etcdctl.run("put", "image/key", "image-value");
        Command.Result get = etcdctl.run("get", "image/key");

        assertThat(put).as("%s", put).isEqualTo(new Command.Result(0, "OK\n", ""));
        assertThat(get).as("%s", get).isEqualTo(new Command.Result(0, "image/key\nimage-value\n", ""));
        Path imageJava = Executables.etceteraImage().resolve("bin/java").toRealPath();
        assertThat(javaExecutables(member))
                .as("java executables running the member (launcher %s)", member.handle().info().command())
                .containsOnly(imageJava);
    }

    /** Runs a program of the image with the image as working directory and a bare environment. */
    private static Command.Result fromImage(List<String> relativeCommand) {
        Path image = Executables.etceteraImage();
        List<String> command = Stream.concat(
                        Stream.of(image.resolve(relativeCommand.get(0)).toString()),
                        relativeCommand.stream().skip(1))
                .toList();
        return Command.run(command, BARE_ENVIRONMENT, "", SHORT_COMMAND_TIMEOUT);
    }

    /** Executables named {@code java} among the member's process and its descendants, as real paths. */
    private static List<Path> javaExecutables(MemberProcess member) {
        return Stream.concat(Stream.of(member.handle()), member.handle().descendants())
                .map(process -> process.info().command())
                .flatMap(Optional::stream)
                .map(Path::of)
                .filter(path -> path.getFileName().toString().equals("java"))
                .map(ImageIT::realPath)
                .toList();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    /** {@code io.etcetera.kernel@0.1.0} → {@code io.etcetera.kernel}. */
    private static String moduleName(String line) {
        int at = line.indexOf('@');
        return at < 0 ? line.strip() : line.substring(0, at);
    }
}
