/**
 * etcetera's peer transport on Netty (provider id {@code netty}): Raft messages and snapshots
 * between members over TCP at the peer URLs, in place of etcd's HTTP-based {@code rafthttp}.
 *
 * <p>One outbound connection per peer carries its Raft messages in order, batched into few
 * flushes, with round-trip probes; every snapshot gets a connection of its own. Both start with a
 * handshake that checks the cluster id and names the sender. The frame format is documented in
 * {@code io.etcetera.transport.netty.Frame} and the module README. Limits and timeouts come from
 * {@link io.etcetera.spi.transport.TransportLimits}.
 */
module io.etcetera.transport.netty {
    requires io.etcetera.spi;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.transport;

    provides io.etcetera.spi.transport.PeerTransportProvider
            with io.etcetera.transport.netty.NettyPeerTransportProvider;
}
