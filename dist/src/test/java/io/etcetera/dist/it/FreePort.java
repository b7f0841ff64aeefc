package io.etcetera.dist.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds a free TCP port on 127.0.0.1 by binding port 0 and releasing it.
 *
 * <p>A race with another process that grabs the port between release and reuse is possible but
 * rare; a member that fails to bind shows it in its log. Thread-safety: stateless.
 */
final class FreePort {

    private FreePort() {
    }

    /** Returns a port number (1..65535) that was free on 127.0.0.1 a moment ago. */
    static int onLoopback() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
