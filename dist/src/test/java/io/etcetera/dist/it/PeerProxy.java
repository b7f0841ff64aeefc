package io.etcetera.dist.it;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one etcetera member's peer port, so a test can cut that
 * member's peer traffic: the member listens on its real {@code --listen-peer-urls} and
 * advertises {@link #url()} in {@code --initial-advertise-peer-urls} and {@code --initial-cluster},
 * so every other member dials it through here.
 *
 * <p>etcetera's peer transport ({@code transport-netty/README.md}) opens one connection per
 * ordered pair of members, from the sender to the receiver, and starts it with a HELLO frame
 * ({@code length:u32 type:u8 magic:u32 version:u8 kind:u8 clusterId:u64 from:u64 to:u64}).
 * The proxy reads that frame before it pipes anything, so it knows which member dials
 * ({@code from}) and learns the id of the member behind it ({@code to}). That is what makes a
 * symmetric partition possible with one proxy per member: cut member X off by {@link #block()}ing
 * X's own proxy (all traffic to X) and {@link #blockSender(long) blocking X as a sender} on every
 * other proxy (all traffic from X).
 *
 * <p>Blocking closes the affected connections at once (both directions), and a new affected
 * connection is closed right after its HELLO: the dialer sees a dropped connection, reports the
 * peer unreachable and redials with backoff. {@link #heal()} lets new connections through again.
 *
 * <p>Threads: one acceptor thread and two pipe threads per connection, all daemons named
 * {@code peer-proxy-<port>-*}. Thread-safety: {@link #block()}, {@link #blockSender},
 * {@link #heal()} and {@link #close()} may be called from any thread.
 */
final class PeerProxy implements AutoCloseable {

    /** Bytes of a HELLO frame: length u32, type u8, then the 30-byte body. */
    private static final int HELLO_FRAME_BYTES = 4 + 1 + 4 + 1 + 1 + 8 + 8 + 8;
    /** Frame type of HELLO ({@code transport-netty} {@code FrameType.HELLO}). */
    private static final int HELLO_TYPE = 1;
    /** Offsets of {@code from} and {@code to} in the HELLO frame. */
    private static final int FROM_OFFSET = 4 + 1 + 4 + 1 + 1 + 8;
    private static final int TO_OFFSET = FROM_OFFSET + 8;
    /** Member id not learned yet; etcd never gives a member id 0 (raft.None). */
    private static final long UNKNOWN = 0;
    private static final int PIPE_BUFFER_BYTES = 64 * 1024;

    /** One proxied connection: the dialer's socket, the socket to the member, the dialer's id. */
    private record Connection(Socket dialer, Socket member, long from) {
        void close() {
            closeQuietly(dialer);
            closeQuietly(member);
        }
    }

    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Long> blockedSenders = ConcurrentHashMap.newKeySet();
    private final AtomicLong targetId = new AtomicLong(UNKNOWN);
    private volatile boolean blockedAll;
    private volatile boolean closed;

    /**
     * Binds a free port on 127.0.0.1 and starts accepting; connections are piped to
     * {@code 127.0.0.1:targetPort} (the member's real peer port, which need not listen yet).
     */
    PeerProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a peer proxy on 127.0.0.1", e);
        }
        daemon("accept", this::acceptLoop).start();
    }

    /** The member's real peer port, for its {@code --listen-peer-urls}. */
    int targetPort() {
        return targetPort;
    }

    /** {@code http://127.0.0.1:<proxy port>}, for the member's advertised peer URL. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /**
     * The id of the member behind this proxy, from the {@code to} of the HELLOs seen so far.
     *
     * @throws AssertionError if no peer has dialed the member through this proxy yet
     */
    long targetMemberId() {
        long id = targetId.get();
        if (id == UNKNOWN) {
            throw new AssertionError("no peer has dialed the member behind " + url() + " yet");
        }
        return id;
    }

    /** Cuts every connection to the member behind this proxy and refuses new ones. */
    void block() {
        blockedAll = true;
        connections.forEach(this::drop);
    }

    /** Cuts the connections dialed by member {@code memberId} and refuses its new ones. */
    void blockSender(long memberId) {
        blockedSenders.add(memberId);
        connections.stream().filter(c -> c.from() == memberId).forEach(this::drop);
    }

    /** Lets every connection through again; dialers reconnect on their next backoff. */
    void heal() {
        blockedAll = false;
        blockedSenders.clear();
    }

    /** Stops accepting and closes every connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        connections.forEach(this::drop);
    }

    private boolean blocks(long from) {
        return blockedAll || blockedSenders.contains(from);
    }

    private void drop(Connection connection) {
        connections.remove(connection);
        connection.close();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket dialer;
            try {
                dialer = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            daemon("handshake", () -> open(dialer)).start();
        }
    }

    /** Reads the dialer's HELLO, connects to the member and pipes both ways unless blocked. */
    private void open(Socket dialer) {
        byte[] hello = new byte[HELLO_FRAME_BYTES];
        Socket member = null;
        try {
            new DataInputStream(dialer.getInputStream()).readFully(hello);
            ByteBuffer frame = ByteBuffer.wrap(hello);
            if (frame.get(4) != HELLO_TYPE) {
                throw new IOException("first frame is not a HELLO");
            }
            long from = frame.getLong(FROM_OFFSET);
            targetId.compareAndSet(UNKNOWN, frame.getLong(TO_OFFSET));
            if (closed || blocks(from)) {
                closeQuietly(dialer);
                return;
            }
            member = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            Connection connection = new Connection(dialer, member, from);
            connections.add(connection);
            // A block() between the check above and add() must still cut this connection.
            if (closed || blocks(from)) {
                drop(connection);
                return;
            }
            member.getOutputStream().write(hello);
            daemon("to-member", () -> pipe(dialer, connection.member(), connection)).start();
            daemon("to-dialer", () -> pipe(connection.member(), dialer, connection)).start();
        } catch (IOException e) {
            closeQuietly(dialer);
            closeQuietly(member);
        }
    }

    private void pipe(Socket source, Socket sink, Connection connection) {
        byte[] buffer = new byte[PIPE_BUFFER_BYTES];
        try {
            InputStream in = source.getInputStream();
            OutputStream out = sink.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // Closed by drop(), reset or broken by either side: the connection is over and the
            // dialer redials.
        } finally {
            drop(connection);
        }
    }

    private Thread daemon(String role, Runnable body) {
        Thread thread = new Thread(body, "peer-proxy-" + listener.getLocalPort() + "-" + role);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing a socket twice or after a reset is expected here; nothing to recover.
        }
    }
}
