package io.etcetera.dist;

import io.etcetera.dist.launcher.Launcher;
import io.etcetera.dist.launcher.Logging;
import io.etcetera.dist.launcher.ServerRunner;
import java.io.PrintWriter;

/**
 * Entry point of the image's {@code bin/etcetera}: {@code etcetera [flags]} runs a member with
 * etcd 3.4's flags, {@code ETCD_*} variables or {@code --config-file} (see
 * {@link io.etcetera.dist.config}); logs go to stderr one line per event. Exits with the
 * command's status.
 */
public final class Main {

    private Main() {
    }

    /** Runs {@code etcetera} with the process's arguments and environment. */
    public static void main(String[] args) {
        Logging.install(System.err);
        int status = Launcher.execute(args, System.getenv(), ServerRunner.etceteraServer(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }
}
