package io.etcetera.dist.launcher;

import io.etcetera.kernel.EtceteraServer;
import io.etcetera.kernel.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts an {@link EtceteraServer}, installs a shutdown hook that closes it on SIGTERM/SIGINT
 * (as etcd stops on those signals), and waits for it to terminate. Used once, from the launcher's
 * main thread.
 */
final class EtceteraServerRunner implements ServerRunner {

    private static final Logger LOG = System.getLogger("io.etcetera.dist.launcher");

    @Override
    public int run(ServerConfig config) throws IOException, InterruptedException {
        EtceteraServer server = EtceteraServer.start(config);
        Thread hook = new Thread(() -> {
            LOG.log(Level.INFO, "received shutdown signal, stopping member " + config.name());
            server.close();
        }, "etcetera-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LOG.log(Level.INFO, "started member " + config.name() + ", client addresses " + addresses(server.clientAddresses()));
            server.awaitTermination();
            LOG.log(Level.INFO, "member " + config.name() + " stopped");
            // a member stopped by a fatal error (e.g. removed from its cluster) exits non-zero, as etcd
            return server.failure() == null ? 0 : 1;
        } finally {
            server.close();
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already running the hook; it closes the server and the JVM exits after it.
        }
    }

    private static String addresses(List<InetSocketAddress> addresses) {
        return addresses.stream()
                .map(a -> a.getHostString() + ":" + a.getPort())
                .collect(Collectors.joining(", "));
    }
}
