package io.etcetera.dist.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds a free TCP port on 127.0.0.1 by binding port 0 and releasing it.
 *
 * <p>A race with another process that grabs the port between release and reuse is possible but
 * rare; a member that fails to bind shows it in its log. A port is handed out at most once per
 * test JVM: the kernel may offer a released port again at once, and a cluster picks all its ports
 * before any member binds them. Thread-safe.
 */
final class FreePort {

    /** Give up after this many ports the kernel offers that were already handed out. */
    private static final int MAX_ATTEMPTS = 1000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePort() {
    }

    /** Returns a port number (1..65535) that was free on 127.0.0.1 a moment ago. */
    static int onLoopback() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = bindAndRelease();
            synchronized (HANDED_OUT) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no port on 127.0.0.1 that was not handed out already");
    }

    private static int bindAndRelease() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
