package io.etcetera.dist.launcher;

import io.etcetera.dist.config.ConfigException;
import io.etcetera.dist.config.ConfigResolver;
import io.etcetera.dist.config.EnvironmentSource;
import io.etcetera.dist.config.EtcdFlags;
import io.etcetera.dist.config.Notice;
import io.etcetera.dist.config.ResolvedConfig;
import io.etcetera.kernel.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code etcetera [flags]}: runs a member configured like etcd 3.4 from flags, {@code ETCD_*}
 * variables or a YAML config file (see {@link io.etcetera.dist.config}). Its etcd flags are
 * added from {@link io.etcetera.dist.config.EtcdOptions} by {@link Launcher}; subcommands such as
 * {@code etcetera benchmark} are added to the same {@code CommandLine} and do not see these
 * flags. Exit status: 0 after an orderly stop or for {@code --help}/{@code --version}, 1 for a
 * configuration the member cannot start with, 2 for a command line that does not parse.
 * Used once per process, from the main thread.
 */
@Command(
        name = "etcetera",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "Usage:%n",
        synopsisHeading = "",
        customSynopsis = {"  etcetera [flags]", "    Start an etcetera member (etcd v3 API compatible).", ""},
        descriptionHeading = "",
        optionListHeading = "Flags (etcd 3.4's names; each also read from ETCD_<FLAG_NAME> or a --config-file key):%n",
        footer = {"", "Exit status: 0 when stopped, 1 for an unusable configuration, 2 for a command line that does not parse."})
public final class EtceteraCommand implements Callable<Integer> {

    private static final Logger LOG = System.getLogger("io.etcetera.dist.launcher");

    @Spec
    private CommandSpec spec;

    private final EnvironmentSource environment;
    private final ServerRunner runner;

    /**
     * @param environment the {@code ETCD_*} variables to read (the process environment in production)
     * @param runner what runs the member once configured
     */
    public EtceteraCommand(EnvironmentSource environment, ServerRunner runner) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** Resolves the configuration, logs what it decided, and runs the member; returns the exit status. */
    @Override
    public Integer call() throws InterruptedException {
        ResolvedConfig resolved;
        try {
            resolved = ConfigResolver.resolve(EtcdFlags.matched(spec.commandLine().getParseResult()), environment);
        } catch (ConfigException e) {
            return fail("error verifying flags, " + e.getMessage() + ". See 'etcetera --help'.");
        }
        Logging.setLevel(resolved.logLevel());
        for (Notice notice : resolved.notices()) {
            LOG.log(notice.level(), notice.message());
        }
        ServerConfig server = resolved.server();
        LOG.log(Level.INFO, "etcetera " + VersionInfo.etceteraVersion() + " (etcd API " + VersionInfo.ETCD_API_VERSION
                + ") starting member " + server.name() + " with data dir " + server.dataDir()
                + ", storage backend " + server.storageBackend() + ", API front ends " + String.join(",", server.apiFrontEnds()));
        try {
            return runner.run(server);
        } catch (IOException | IllegalArgumentException e) {
            return fail("cannot start member " + server.name() + ": " + e.getMessage());
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("etcetera: " + message);
        spec.commandLine().getErr().flush();
        return 1;
    }
}
