package io.etcetera.kernel;

import io.etcetera.kernel.lease.LeaseClock;
import io.etcetera.kernel.plugin.PluginRegistry;
import io.etcetera.kernel.server.DataDir;
import io.etcetera.kernel.server.Member;
import io.etcetera.kernel.wal.Wal;
import io.etcetera.spi.api.ApiContext;
import io.etcetera.spi.api.ApiFrontEnd;
import io.etcetera.spi.api.ApiFrontEndProvider;
import io.etcetera.spi.server.EtcdServices;
import io.etcetera.spi.storage.BackendProvider;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running etcetera member: data dir, storage backend, WAL, Raft and apply loops, and the API
 * front ends serving clients (etcd's {@code embed.Etcd}).
 *
 * <p>{@link #start} lays out and locks {@code <data-dir>/member/{wal,snap,backend}}, refuses a
 * backend directory written by another storage engine, opens the engine chosen by
 * {@link ServerConfig#storageBackend()}, recovers (replaying the WAL above the backend's
 * consistent index), starts the peer transport ({@code netty}) when the cluster has other
 * members, waits until a leader is known and everything committed is applied, and then starts each front end
 * of {@link ServerConfig#apiFrontEnds()} (possibly none) with
 * {@code ApiContext(services, listenClientUrls, maxRequestBytes)}. It logs etcd's lines
 * {@code ready to serve client requests} and {@code serving insecure client requests on <host:port>}.
 *
 * <p>A fatal error in the member (WAL or backend I/O failure) closes the server, which releases
 * {@link #awaitTermination()}; {@link #failure()} then tells why. Thread-safe.
 */
public final class EtceteraServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EtceteraServer.class.getName());
    /** The peer transport plugin a multi-member cluster uses. */
    static final String PEER_TRANSPORT = "netty";

    private final DataDir dataDir;
    private final Member member;
    private final List<ApiFrontEnd> frontEnds;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure;

    private EtceteraServer(DataDir dataDir, Member member, List<ApiFrontEnd> frontEnds, AtomicReference<Throwable> failure) {
        this.dataDir = dataDir;
        this.member = member;
        this.frontEnds = List.copyOf(frontEnds);
        this.failure = failure;
    }

    /**
     * Starts a member with {@code config}: opens or creates the data dir, recovers from the WAL,
     * starts the configured API front ends, and returns once clients can be served.
     *
     * @throws IOException when the data dir or a listen URL cannot be used (locked by another
     *     member, written by another storage engine, corrupt WAL, port in use)
     * @throws IllegalArgumentException when the config names an unknown plugin
     */
    public static EtceteraServer start(ServerConfig config) throws IOException {
        return start(config, PluginRegistry.load(), Wal.Options.defaults());
    }

    /** {@link #start(ServerConfig)} with the given plugins and WAL options (tests inject both). */
    static EtceteraServer start(ServerConfig config, PluginRegistry plugins, Wal.Options walOptions) throws IOException {
        return start(config, plugins, walOptions, LeaseClock.SYSTEM);
    }

    /** {@link #start(ServerConfig)} with the given plugins, WAL options and lessor clock (tests). */
    static EtceteraServer start(ServerConfig config, PluginRegistry plugins, Wal.Options walOptions,
            LeaseClock leaseClock) throws IOException {
        BackendProvider engine = plugins.backend(config.storageBackend());
        List<ApiFrontEndProvider> frontEndProviders = plugins.apiFrontEnds(config.apiFrontEnds());
        DataDir dataDir = DataDir.open(config.dataDir());
        AtomicReference<EtceteraServer> started = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Member member;
        try {
            dataDir.claimEngine(engine.id());
            member = Member.start(config, engine, dataDir, walOptions,
                    context -> plugins.peerTransport(PEER_TRANSPORT).create(context),
                    (urls, method, body, timeoutMs) -> plugins.peerTransport(PEER_TRANSPORT)
                            .request(urls, method, body, timeoutMs),
                    leaseClock, fatal -> {
                failure.compareAndSet(null, fatal);
                EtceteraServer server = started.get();
                if (server != null) {
                    // Not on the failing loop's thread: close() joins that thread.
                    new Thread(server::close, "etcetera-stop").start();
                }
            });
        } catch (IOException | RuntimeException e) {
            closeQuietly(dataDir);
            throw e;
        }
        List<ApiFrontEnd> frontEnds = new ArrayList<>();
        try {
            ApiContext context = new ApiContext(member.services(), config.listenClientUrls(), config.maxRequestBytes());
            for (ApiFrontEndProvider provider : frontEndProviders) {
                ApiFrontEnd frontEnd = provider.create(context);
                frontEnds.add(frontEnd);
                frontEnd.start();
            }
        } catch (IOException | RuntimeException e) {
            frontEnds.forEach(EtceteraServer::closeQuietly);
            member.close();
            closeQuietly(dataDir);
            throw e;
        }
        EtceteraServer server = new EtceteraServer(dataDir, member, frontEnds, failure);
        started.set(server);
        LOG.log(Level.INFO, "ready to serve client requests");
        for (ApiFrontEnd frontEnd : frontEnds) {
            for (InetSocketAddress address : frontEnd.boundAddresses()) {
                LOG.log(Level.INFO, "serving insecure client requests on {0}:{1,number,#}",
                        address.getHostString(), address.getPort());
            }
        }
        if (failure.get() != null) {
            // The member failed between becoming ready and now; honour it.
            new Thread(server::close, "etcetera-stop").start();
        }
        return server;
    }

    /**
     * The client addresses actually bound by the first front end, in listen-URL order (port 0
     * resolved); empty when no front end runs.
     */
    public List<InetSocketAddress> clientAddresses() {
        return frontEnds.isEmpty() ? List.of() : frontEnds.get(0).boundAddresses();
    }

    /** This member's id (etcd's member id). */
    public long memberId() {
        return member.identity().memberId();
    }

    /** The known leader's member id, 0 when there is none. */
    public long leaderId() {
        return member.leader();
    }

    /** The peer addresses bound (port 0 resolved); empty for a single member, which runs no peer transport. */
    public List<InetSocketAddress> peerAddresses() {
        return member.peerAddresses();
    }

    /** The kernel's services, for in-process use (tests, embedding) without a front end. */
    public EtcdServices services() {
        return member.services();
    }

    /** The fatal error that stopped the server, or {@code null} when it was not stopped by one. */
    public Throwable failure() {
        return failure.get();
    }

    /** Blocks until the server is closed (by {@link #close()} or by a fatal error). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Stops the front ends, the Raft and apply loops, the WAL, and closes the backend, in that
     * order, then releases the data dir. Idempotent; later callers return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            for (int i = frontEnds.size() - 1; i >= 0; i--) {
                closeQuietly(frontEnds.get(i));
            }
            member.close();
            closeQuietly(dataDir);
            LOG.log(Level.INFO, "stopped member {0}", Long.toHexString(member.identity().memberId()));
        } finally {
            terminated.countDown();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing " + resource.getClass().getSimpleName() + " failed", e);
        }
    }
}
