package io.etcetera.transport.netty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer URLs to socket addresses, by etcd's rules: {@code http} only until TLS lands, an explicit
 * port, and for listen URLs an IP literal or {@code localhost} (etcd's {@code checkBindURLs}).
 * Stateless; thread-safe.
 */
final class PeerUrls {
    private static final String HTTP = "http";

    private PeerUrls() {
    }

    /**
     * The address to bind for a listen peer URL; port 0 binds a free port.
     *
     * @throws IOException when the URL is not bindable by those rules
     */
    static InetSocketAddress listenAddress(URI url) throws IOException {
        try {
            checkSchemeAndPort(url);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        String host = url.getHost();
        if (!"localhost".equals(host) && !isIpLiteral(host)) {
            throw new IOException("listen peer URL " + url + " must name an IP address or localhost, not a host name");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), url.getPort());
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve listen peer URL " + url, e);
        }
    }

    /**
     * The addresses to dial for a peer's advertised URLs, unresolved (Netty resolves at dial time).
     *
     * @throws IllegalArgumentException when the list is empty or a URL has another scheme than
     *     {@code http}, no host or no port
     */
    static List<InetSocketAddress> dialAddresses(List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a peer needs at least one peer URL");
        }
        List<InetSocketAddress> addresses = new ArrayList<>(urls.size());
        for (URI url : urls) {
            checkSchemeAndPort(url);
            addresses.add(InetSocketAddress.createUnresolved(url.getHost(), url.getPort()));
        }
        return List.copyOf(addresses);
    }

    private static void checkSchemeAndPort(URI url) {
        if (!HTTP.equals(url.getScheme())) {
            throw new IllegalArgumentException("peer URL " + url + ": only http is supported until TLS lands");
        }
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("peer URL " + url + " must have a host and a port");
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.startsWith("[") || host.contains(":");
    }

    /** {@code host:port} of an address, resolved or not, for logs and errors. */
    static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
