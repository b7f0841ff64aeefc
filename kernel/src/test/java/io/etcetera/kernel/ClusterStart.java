package io.etcetera.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts the in-process members of a cluster, for the kernel's multi-member tests. */
final class ClusterStart {

    private ClusterStart() {
    }

    /**
     * Starts a member for every config at once (a member of a larger cluster returns from start
     * only once a quorum is up) and adds each to {@code servers}, in the order of {@code configs}.
     *
     * @throws java.util.concurrent.TimeoutException when a member is not started within
     *     {@code deadlineMs} ms
     */
    static void startTogether(List<ServerConfig> configs, List<EtceteraServer> servers, long deadlineMs)
            throws Exception {
        List<CompletableFuture<EtceteraServer>> starting = new ArrayList<>();
        for (ServerConfig config : configs) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return EtceteraServer.start(config);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<EtceteraServer> server : starting) {
            servers.add(server.get(deadlineMs, TimeUnit.MILLISECONDS));
        }
    }
}
