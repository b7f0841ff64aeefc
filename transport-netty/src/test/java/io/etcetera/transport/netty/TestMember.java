package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerRequestHandler;
import io.etcetera.spi.transport.PeerTransport;
import io.etcetera.spi.transport.TransportContext;
import io.etcetera.spi.transport.TransportLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

/** One member's transport on a loopback port, with the handler that records what it gets. */
final class TestMember implements AutoCloseable {
    /** Fast redials and probes so that tests finish quickly; generous dial time for a loaded machine. */
    static final TransportLimits FAST = new TransportLimits(TransportLimits.DEFAULT_MAX_QUEUED_MESSAGES_PER_PEER,
            1024 * 1024, TransportLimits.DEFAULT_MAX_BATCH_MESSAGES, 2_000, 10, 100, 200,
            TransportLimits.DEFAULT_SNAPSHOT_CHUNK_BYTES, 10_000, 2);

    final long id;
    final long clusterId;
    final int port;
    final TransportLimits limits;
    final RecordingHandler handler = new RecordingHandler();
    final PeerTransport transport;

    TestMember(long id, long clusterId, int port, TransportLimits limits) {
        this(id, clusterId, port, limits, PeerRequestHandler.NONE);
    }

    TestMember(long id, long clusterId, int port, TransportLimits limits, PeerRequestHandler requests) {
        this.id = id;
        this.clusterId = clusterId;
        this.port = port;
        this.limits = limits;
        this.transport = new NettyPeerTransportProvider().create(
                new TransportContext(id, clusterId, List.of(url()), handler, limits, requests));
    }

    /** A started member on a free port. */
    static TestMember started(long id, long clusterId, TransportLimits limits) {
        TestMember member = new TestMember(id, clusterId, freePort(), limits);
        member.start();
        return member;
    }

    /** A started member on a free port that answers peer requests with {@code requests}. */
    static TestMember started(long id, long clusterId, TransportLimits limits, PeerRequestHandler requests) {
        TestMember member = new TestMember(id, clusterId, freePort(), limits, requests);
        member.start();
        return member;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    void start() {
        try {
            transport.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes each member a peer of every other. */
    static void connectAll(TestMember... members) {
        for (TestMember a : members) {
            for (TestMember b : members) {
                if (a != b) {
                    a.transport.addPeer(b.id, List.of(b.url()));
                }
            }
        }
    }

    boolean activeTo(TestMember other) {
        return transport.status(other.id).map(s -> s.active()).orElse(false);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
