package io.etcetera.dist.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The peer network of a test cluster: one {@link PeerProxy} in front of each member's peer port,
 * and partitions made of them.
 *
 * <p>{@link #isolate(int)} cuts one member off symmetrically: its own proxy refuses everything
 * (traffic to it) and every other proxy refuses connections dialed by it (traffic from it), so
 * neither its heartbeats and appends nor its votes reach the others, and theirs do not reach it.
 * Thread-safety: for one test thread.
 */
final class PeerNetwork implements AutoCloseable {

    private final List<PeerProxy> proxies;

    private PeerNetwork(List<PeerProxy> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    /** One proxy per member, each in front of a free port on 127.0.0.1 for the member's real peer port. */
    static PeerNetwork forMembers(int size) {
        List<PeerProxy> proxies = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            proxies.add(new PeerProxy(FreePort.onLoopback()));
        }
        return new PeerNetwork(proxies);
    }

    /** The proxies, in member order ({@code m1} first). */
    List<PeerProxy> proxies() {
        return proxies;
    }

    /**
     * Cuts member {@code index} (0-based) off from every other member, both directions.
     *
     * @throws AssertionError if no peer has dialed that member yet (its id is not known)
     */
    void isolate(int index) {
        PeerProxy isolated = proxies.get(index);
        long isolatedId = isolated.targetMemberId();
        isolated.block();
        for (PeerProxy proxy : proxies) {
            if (proxy != isolated) {
                proxy.blockSender(isolatedId);
            }
        }
    }

    /** Ends every partition; members reconnect on their next redial. */
    void heal() {
        proxies.forEach(PeerProxy::heal);
    }

    @Override
    public void close() {
        proxies.forEach(PeerProxy::close);
    }
}
