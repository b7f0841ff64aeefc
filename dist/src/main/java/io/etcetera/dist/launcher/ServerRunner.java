package io.etcetera.dist.launcher;

import io.etcetera.kernel.ServerConfig;
import java.io.IOException;

/**
 * Runs a member with a resolved configuration until it stops. The launcher's only link to the
 * kernel, so that the command can be exercised without starting a server.
 */
@FunctionalInterface
public interface ServerRunner {

    /**
     * Starts a member with {@code config} and blocks until it stops.
     *
     * @return the process exit status: 0 after an orderly stop
     * @throws IOException when the data dir or a listen URL cannot be used
     * @throws IllegalArgumentException when the config names an unknown plugin
     * @throws InterruptedException when the waiting thread is interrupted
     */
    int run(ServerConfig config) throws IOException, InterruptedException;

    /** The runner of the real server, {@link EtceteraServerRunner}. */
    static ServerRunner etceteraServer() {
        return new EtceteraServerRunner();
    }
}
