package io.etcetera.spi.api;

import io.etcetera.spi.server.EtcdServices;
import java.net.URI;
import java.util.List;

/**
 * What the kernel hands an API front end when it starts one.
 *
 * @param services the kernel facades the front end serves
 * @param listenUrls the client URLs to bind ({@code --listen-client-urls}), e.g.
 *     {@code http://127.0.0.1:2379}; only {@code http} is served until TLS lands
 * @param maxRequestBytes the largest request the server accepts, in bytes
 *     ({@code --max-request-bytes}); front ends allow some framing overhead above it, as etcd does
 */
public record ApiContext(EtcdServices services, List<URI> listenUrls, long maxRequestBytes) {
    public ApiContext {
        listenUrls = List.copyOf(listenUrls);
    }
}
