package io.etcetera.api.grpc;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Turns a client listen URL ({@code --listen-client-urls}) into the socket address to bind, by
 * etcd 3.4's rules ({@code embed/config.go checkBindURLs}, {@code embed/etcd.go
 * configureClientListeners}):
 * <ul>
 *   <li>the scheme is {@code http}; {@code https} and {@code unix} are not served until TLS and
 *       unix sockets land;</li>
 *   <li>the host is an IP literal or {@code localhost}; any other host name is refused with
 *       etcd's message {@code expected IP in URL for binding (<url>)};</li>
 *   <li>{@code localhost} binds one address, the first IPv4 one it resolves to (Go's
 *       {@code net.Listen} picks one address of a host name, preferring IPv4);</li>
 *   <li>the port is required; {@code 0} binds a free port.</li>
 * </ul>
 * Stateless.
 */
final class ClientListenAddress {

    private ClientListenAddress() {
    }

    /**
     * The address to bind for {@code url}.
     *
     * @throws IOException when the URL is not one etcd would bind (see the class comment)
     */
    static InetSocketAddress of(URI url) throws IOException {
        String scheme = url.getScheme();
        if (!"http".equals(scheme)) {
            throw new IOException("unsupported scheme in client URL (" + url + "): only http is served");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IOException("expected IP in URL for binding (" + url + ")");
        }
        if (url.getPort() < 0) {
            throw new IOException("missing port in client URL (" + url + ")");
        }
        return new InetSocketAddress(bindAddress(url, host), url.getPort());
    }

    private static InetAddress bindAddress(URI url, String host) throws IOException {
        if (host.equals("localhost")) {
            InetAddress[] candidates = InetAddress.getAllByName(host);
            for (InetAddress candidate : candidates) {
                if (candidate instanceof Inet4Address) {
                    return candidate;
                }
            }
            return candidates[0];
        }
        if (!InetAddresses.isUriInetAddress(host)) {
            throw new IOException("expected IP in URL for binding (" + url + ")");
        }
        return InetAddresses.forUriString(host);
    }
}
