package io.etcetera.dist.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * etcd's URL-list values: comma-separated, each {@code scheme://host:port} with scheme
 * {@code http}, {@code https}, {@code unix} or {@code unixs}, a port, and no path
 * (etcd {@code pkg/types/urls.go NewURLs}); duplicates are dropped, the first occurrence keeps its
 * place (etcd sorts them; we keep the user's order so the first listen URL stays first).
 * Stateless and thread-safe.
 */
final class EtcdUrls {

    private static final Set<String> SCHEMES = Set.of("http", "https", "unix", "unixs");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.%a-zA-Z]*\\]|[^:\\[\\]]*):(\\d{1,5})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private EtcdUrls() {
    }

    /**
     * Parses a comma-separated URL list.
     *
     * @throws IllegalArgumentException naming the offending URL when one is malformed or the list is empty
     */
    static List<URI> parseList(String commaSeparated) {
        Set<URI> urls = new LinkedHashSet<>();
        for (String part : commaSeparated.split(",", -1)) {
            urls.add(parse(part.strip()));
        }
        return List.copyOf(urls);
    }

    /**
     * Parses one etcd URL.
     *
     * @throws IllegalArgumentException when the scheme is not one etcd accepts, the authority is
     *     not {@code host:port}, or a path is present
     */
    static URI parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty URL");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text, e);
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
            throw new IllegalArgumentException("URL scheme must be http, https, unix, or unixs: " + text);
        }
        String authority = uri.getRawAuthority();
        var hostPort = authority == null ? null : HOST_PORT.matcher(authority);
        if (hostPort == null || !hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65535) {
            throw new IllegalArgumentException("URL address does not have the form \"host:port\": " + text);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("URL must not contain a path: " + text);
        }
        return uri;
    }

    /**
     * Checks that every URL can be bound: its host is an IP literal or {@code localhost}
     * (etcd {@code embed/config.go checkBindURLs}).
     *
     * @throws IllegalArgumentException naming the first URL that names a host by DNS name
     */
    static void requireBindable(List<URI> urls) {
        for (URI url : urls) {
            String host = hostOf(url);
            boolean ip = IPV4.matcher(host).matches() || host.contains(":");
            if (!ip && !host.equals("localhost") && !url.getScheme().startsWith("unix")) {
                throw new IllegalArgumentException("expected IP in URL for binding (" + url + ")");
            }
        }
    }

    /** The host of {@code url} without IPv6 brackets. */
    static String hostOf(URI url) {
        String authority = url.getRawAuthority();
        String host = authority.substring(0, authority.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code urls} joined with commas, as etcd prints URL lists. */
    static String join(List<URI> urls) {
        List<String> parts = new ArrayList<>();
        urls.forEach(u -> parts.add(u.toString()));
        return String.join(",", parts);
    }
}
