package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is built for Java 17 but must also run on JDK 25 (issue 2): the same modules the
 * image is linked from, started on the Temurin 25 JDK these machines carry beside JDK 17, serve
 * etcdctl.
 */
class ModulePathJdk25IT {

    /** Where Debian and the Temurin packages install JDKs. */
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    @RegisterExtension
    final Members members = new Members();

    @Test
    void memberRunsOnJdk25FromTheModuleDirectory() throws IOException {
        Path jdk25 = findJdk(25).orElseThrow(() -> new AssertionError(
                "no JDK 25 under " + JVM_DIR + " (machines of this kind carry Temurin 25 beside JDK 17)"));

        MemberProcess member = members.start(MemberProcess.Kind.ETCETERA_MODULE_PATH,
                env -> env.put("JAVA_HOME", jdk25.toString()));
        Etcdctl etcdctl = member.etcdctl();

        assertThat(etcdctl.run("put", "jdk25/key", "v")).isEqualTo(new Command.Result(0, "OK\n", ""));
        assertThat(etcdctl.run("get", "jdk25/key")).isEqualTo(new Command.Result(0, "jdk25/key\nv\n", ""));
        Path java = jdk25.resolve("bin/java").toRealPath();
        assertThat(Stream.concat(Stream.of(member.handle()), member.handle().descendants())
                        .map(process -> process.info().command())
                        .flatMap(Optional::stream)
                        .filter(command -> command.endsWith("/java"))
                        .map(ModulePathJdk25IT::realPath))
                .as("the member runs on JDK 25")
                .contains(java);
    }

    /** The newest JDK directory under {@link #JVM_DIR} whose {@code release} file says {@code major}. */
    private static Optional<Path> findJdk(int major) throws IOException {
        if (!Files.isDirectory(JVM_DIR)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(JVM_DIR)) {
            return dirs.filter(dir -> Files.isExecutable(dir.resolve("bin/java")))
                    .filter(dir -> releaseMajor(dir) == major)
                    .max(Comparator.naturalOrder());
        }
    }

    /** The major version in a JDK's {@code release} file ({@code JAVA_VERSION="25.0.3"}), or -1. */
    private static int releaseMajor(Path jdk) {
        try (Stream<String> lines = Files.lines(jdk.resolve("release"))) {
            return lines.filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(version -> Integer.parseInt(version.split("[.+-]")[0]))
                    .findFirst()
                    .orElse(-1);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static Path realPath(String path) {
        try {
            return Path.of(path).toRealPath();
        } catch (IOException e) {
            return Path.of(path);
        }
    }
}
