package io.etcetera.dist.benchmark;

import java.net.URI;

/**
 * One client endpoint of {@code --endpoints}: {@code host:port}, {@code [v6]:port} or
 * {@code http://host:port} (the forms etcdctl and etcd's benchmark take). TLS endpoints are
 * refused: the benchmark speaks plain gRPC only, as the server does until TLS lands.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port, 1..65535
 */
record Endpoint(String host, int port) {

    Endpoint {
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint needs a host and a port 1..65535: " + host + ":" + port);
        }
    }

    /**
     * Parses one endpoint.
     *
     * @throws IllegalArgumentException naming the text if it is not one of the accepted forms
     */
    static Endpoint parse(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("https://") || trimmed.startsWith("unix")) {
            throw new IllegalArgumentException("only plain http endpoints are supported: " + text);
        }
        String withScheme = trimmed.startsWith("http://") ? trimmed : "http://" + trimmed;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an endpoint (host:port): " + text, e);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
            throw new IllegalArgumentException("not an endpoint (host:port): " + text);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Endpoint(host, uri.getPort());
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
