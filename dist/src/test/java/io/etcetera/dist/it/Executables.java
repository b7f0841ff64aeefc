package io.etcetera.dist.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the programs under test live.
 *
 * <p>System properties (set by failsafe in dist/pom.xml, or on the command line):
 * <ul>
 *   <li>{@code etcetera.image}: the jlink image directory whose {@code bin/etcetera} takes etcd's
 *       flags; default {@code target/etcetera} relative to the working directory (the dist module).</li>
 *   <li>{@code etcetera.it.reference-only}: when {@code true}, the candidate member is real etcd
 *       too, which validates the harness and the normalisation against etcd alone.</li>
 * </ul>
 */
final class Executables {

    /** Real etcd 3.4.23, the reference implementation. */
    static final Path ETCD = Path.of("/usr/bin/etcd");

    /** etcdctl 3.4.23, always run with {@code ETCDCTL_API=3}. */
    static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    private Executables() {
    }

    /** The jlink image directory, which must exist (built by {@code mvn -pl dist package}). */
    static Path etceteraImage() {
        Path image = Path.of(System.getProperty("etcetera.image", "target/etcetera")).toAbsolutePath();
        if (!Files.isDirectory(image)) {
            throw new AssertionError("etcetera image not found at " + image
                    + " (build it with `mvn -pl dist -am verify`, or set -Detcetera.image=DIR)");
        }
        return image;
    }

    /** The image's launcher, {@code <image>/bin/etcetera}. */
    static Path etceteraLauncher() {
        return etceteraImage().resolve("bin").resolve("etcetera");
    }

    /**
     * The module-path launcher, {@code run-on-module-path.sh} beside the module directory
     * {@code etcetera.modules} (default {@code target/modules}); it runs the JDK in {@code JAVA_HOME}.
     */
    static Path modulePathLauncher() {
        Path modules = Path.of(System.getProperty("etcetera.modules", "target/modules")).toAbsolutePath();
        Path launcher = modules.resolveSibling("run-on-module-path.sh");
        if (!Files.isExecutable(launcher)) {
            throw new AssertionError("module-path launcher not found at " + launcher
                    + " (build it with `mvn -pl dist -am verify`, or set -Detcetera.modules=DIR)");
        }
        return launcher;
    }

    /** True if the candidate member is real etcd (harness self-check mode). */
    static boolean referenceOnly() {
        return Boolean.getBoolean("etcetera.it.reference-only");
    }

    /** The kind of member under test: etcetera, or etcd in reference-only mode. */
    static MemberProcess.Kind candidate() {
        return referenceOnly() ? MemberProcess.Kind.ETCD : MemberProcess.Kind.ETCETERA;
    }
}
