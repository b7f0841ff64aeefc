package io.etcetera.dist.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code etcetera --version} prints, in the shape of {@code etcd --version}
 * ({@code etcdmain/config.go}: "etcd Version", "Git SHA", "Go Version", "Go OS/Arch") with
 * etcetera's facts:
 * <pre>
 * etcetera Version: 0.1.0-SNAPSHOT
 * etcd API Version: 3.4
 * Java Version: 17.0.15
 * Java OS/Arch: linux/amd64
 * </pre>
 * The version is the {@code io.etcetera.dist} module's, recorded by the compiler in its
 * descriptor. Stateless and thread-safe.
 */
public final class VersionInfo implements IVersionProvider {

    /** The etcd API version etcetera speaks: etcd 3.4's v3 gRPC API. */
    public static final String ETCD_API_VERSION = "3.4";

    private static final String MODULE_NAME = "io.etcetera.dist";

    /** For picocli, which creates the provider. */
    public VersionInfo() {
    }

    /** The lines of {@code --version}. */
    @Override
    public String[] getVersion() {
        return lines().toArray(String[]::new);
    }

    /** The lines of {@code --version}. */
    public static List<String> lines() {
        return List.of(
                "etcetera Version: " + etceteraVersion(),
                "etcd API Version: " + ETCD_API_VERSION,
                "Java Version: " + Runtime.version(),
                "Java OS/Arch: " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch"));
    }

    /**
     * etcetera's version: the {@code io.etcetera.dist} module descriptor's version, read from the
     * module layer in the image and from {@code module-info.class} on a class path (tests);
     * {@code unknown} when the descriptor carries none.
     */
    public static String etceteraVersion() {
        Module module = VersionInfo.class.getModule();
        Optional<ModuleDescriptor> descriptor = module.isNamed()
                ? Optional.ofNullable(module.getDescriptor())
                : descriptorOnClassPath();
        return descriptor.flatMap(ModuleDescriptor::rawVersion).orElse("unknown");
    }

    private static Optional<ModuleDescriptor> descriptorOnClassPath() {
        try {
            Enumeration<URL> candidates = VersionInfo.class.getClassLoader().getResources("module-info.class");
            while (candidates.hasMoreElements()) {
                try (InputStream in = candidates.nextElement().openStream()) {
                    ModuleDescriptor descriptor = ModuleDescriptor.read(in);
                    if (descriptor.name().equals(MODULE_NAME)) {
                        return Optional.of(descriptor);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read module descriptors on the class path", e);
        }
    }
}
