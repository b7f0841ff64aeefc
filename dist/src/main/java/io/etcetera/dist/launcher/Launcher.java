package io.etcetera.dist.launcher;

import io.etcetera.dist.benchmark.BenchmarkCommand;
import io.etcetera.dist.config.EnvironmentSource;
import io.etcetera.dist.config.EtcdFlags;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Builds and runs the {@code etcetera} command line: the {@link EtceteraCommand} with every etcd
 * flag, Go's flag syntax, etcd's "last repeated flag wins", and one-line usage errors. A later
 * subcommand is added to {@link #commandLine} with {@code addSubcommand}. Stateless; each call
 * builds a fresh command line.
 */
public final class Launcher {

    /** Exit status for a command line that does not parse (unknown flag, missing value), as etcd's. */
    public static final int USAGE_ERROR = 2;

    private Launcher() {
    }

    /**
     * The {@code etcetera} command line reading {@code environment}, running members with
     * {@code runner}, and printing to {@code out} and {@code err}.
     */
    public static CommandLine commandLine(Map<String, String> environment, ServerRunner runner, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new EtceteraCommand(new EnvironmentSource(environment), runner));
        EtcdFlags.addTo(commandLine.getCommandSpec());
        commandLine.addSubcommand(new BenchmarkCommand());
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("etcetera: " + e.getMessage() + ". See '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            failed.getErr().flush();
            return USAGE_ERROR;
        });
        return commandLine;
    }

    /**
     * Parses {@code args} (Go's flag syntax accepted) and runs the command.
     *
     * @return the exit status, see {@link EtceteraCommand}
     */
    public static int execute(String[] args, Map<String, String> environment, ServerRunner runner, PrintWriter out, PrintWriter err) {
        int status = commandLine(environment, runner, out, err).execute(EtcdFlags.normalizeGoSyntax(args));
        out.flush();
        err.flush();
        return status;
    }
}
