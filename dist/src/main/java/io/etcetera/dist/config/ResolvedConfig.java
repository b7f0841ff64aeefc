package io.etcetera.dist.config;

import io.etcetera.kernel.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ConfigResolver#resolve}: the member's configuration for the kernel, the
 * launcher's own settings, and the notices to log. Immutable and thread-safe.
 *
 * @param server the kernel configuration
 * @param logLevel etcd's {@code --log-level} ({@code debug}, {@code info}, {@code warn},
 *     {@code error}, {@code panic} or {@code fatal})
 * @param initialCluster the bootstrap membership (this member alone, for now)
 * @param configFile the config file the settings came from, when one was given
 * @param notices lines to log, in order
 */
public record ResolvedConfig(
        ServerConfig server,
        String logLevel,
        InitialCluster initialCluster,
        Optional<Path> configFile,
        List<Notice> notices) {

    public ResolvedConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(initialCluster, "initialCluster");
        Objects.requireNonNull(configFile, "configFile");
        notices = List.copyOf(notices);
    }
}
