package io.etcetera.dist.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One member running as an OS process: real etcd or etcetera's jlink image, both started with
 * the same etcd flags on 127.0.0.1 — alone ({@link #start}) or as one of a static cluster
 * ({@link #startCluster}).
 *
 * <p>The process writes stdout and stderr to {@code <log>}; {@link #log()} returns it for failure
 * messages. {@link #close()} always reaps the process and its descendants (the launcher may be a
 * shell script that forks {@code java}): SIGTERM, a bounded wait, then SIGKILL.
 * {@link #kill()} is {@code kill -9} for crash tests.
 *
 * <p>Thread-safety: not thread-safe; owned by one test.
 */
final class MemberProcess implements AutoCloseable {

    /** What implementation runs the member. */
    enum Kind {
        /** Real etcd 3.4.23 at {@link Executables#ETCD}. */
        ETCD,
        /** etcetera's image launcher at {@code <etcetera.image>/bin/etcetera}. */
        ETCETERA,
        /**
         * etcetera's modules run on an installed JDK named by {@code JAVA_HOME}, through
         * {@code run-on-module-path.sh} next to {@code <etcetera.modules>}.
         */
        ETCETERA_MODULE_PATH;

        Path executable() {
            return switch (this) {
                case ETCD -> Executables.ETCD;
                case ETCETERA -> Executables.etceteraLauncher();
                case ETCETERA_MODULE_PATH -> Executables.modulePathLauncher();
            };
        }
    }

    /** Longest wait for a fresh member to serve reads (JVM start plus WAL replay fits). */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Longest wait after SIGTERM before SIGKILL. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** Member name; etcd's default, so both implementations see the same {@code --initial-cluster}. */
    private static final String NAME = "default";

    private final Kind kind;
    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private final List<String> command;
    private final Process process;

    private MemberProcess(Kind kind, Path dataDir, Path log, int clientPort, int peerPort, List<String> command,
            Process process) {
        this.kind = kind;
        this.command = List.copyOf(command);
        this.dataDir = dataDir;
        this.log = log;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.process = process;
    }

    /**
     * Starts a member and returns once it serves a linearizable read.
     *
     * @param kind etcd or etcetera
     * @param dataDir the {@code --data-dir}; reused on restart
     * @param log file that receives the process's stdout and stderr (appended across restarts)
     * @param clientPort port of {@code --listen-client-urls} on 127.0.0.1
     * @param peerPort port of {@code --listen-peer-urls} on 127.0.0.1
     * @param environment extra environment changes, applied to a copy of this JVM's environment
     * @throws AssertionError if the member exits or does not serve within {@link #READY_TIMEOUT};
     *     the process is reaped first and the log is in the message
     */
    static MemberProcess start(Kind kind, Path dataDir, Path log, int clientPort, int peerPort,
            Consumer<Map<String, String>> environment) {
        MemberProcess member = spawn(kind, dataDir, log, clientPort, peerPort,
                command(kind, dataDir, clientPort, peerPort), environment);
        member.awaitReadyOrClose();
        return member;
    }

    /**
     * Starts a static cluster of {@code size} members named {@code m1..m<size>} under
     * {@code root} (data dirs {@code root/m<i>}, logs {@code root/m<i>.log}) with
     * {@code --initial-cluster-state new} and token {@code it-cluster}, all at once (each waits
     * for a quorum), and returns once every member serves a linearizable read.
     *
     * @throws AssertionError as {@link #start}; every member is reaped first
     */
    static List<MemberProcess> startCluster(Kind kind, Path root, int size) {
        return startCluster(kind, root, size, List.of());
    }

    /**
     * {@link #startCluster(Kind, Path, int)} with {@code extraArgs} appended to every member's
     * command line (kept across {@link #restart()}), e.g. {@code --snapshot-count 100}.
     */
    static List<MemberProcess> startCluster(Kind kind, Path root, int size, List<String> extraArgs) {
        List<Integer> peerPorts = new ArrayList<>();
        List<String> advertisedPeerUrls = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            peerPorts.add(FreePort.onLoopback());
            advertisedPeerUrls.add("http://127.0.0.1:" + peerPorts.get(i));
        }
        return startStaticCluster(kind, root, peerPorts, advertisedPeerUrls, extraArgs);
    }

    private static MemberProcess spawn(Kind kind, Path dataDir, Path log, int clientPort, int peerPort,
            List<String> command, Consumer<Map<String, String>> environment) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment.accept(builder.environment());
        try {
            return new MemberProcess(kind, dataDir, log, clientPort, peerPort, command, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command(), e);
        }
    }

    private void awaitReadyOrClose() {
        awaitReadyOrClose("l");
    }

    /**
     * Waits until a {@code get} at {@code consistency} ({@code l} or {@code s}) succeeds; closes
     * the member and fails when it does not within the timeout.
     */
    private void awaitReadyOrClose(String consistency) {
        try {
            awaitReady(consistency);
        } catch (RuntimeException | AssertionError e) {
            close();
            throw new AssertionError(e.getMessage() + "\n" + describe(), e);
        }
    }

    /** Starts a member with this JVM's environment; see {@link #start(Kind, Path, Path, int, int, Consumer)}. */
    static MemberProcess start(Kind kind, Path dataDir, Path log, int clientPort, int peerPort) {
        return start(kind, dataDir, log, clientPort, peerPort, env -> { });
    }

    /** The etcd command line shared by both implementations. */
    static List<String> command(Kind kind, Path dataDir, int clientPort, int peerPort) {
        return command(kind, NAME, dataDir, clientPort, peerPort, NAME + "=http://127.0.0.1:" + peerPort);
    }

    private static List<String> command(Kind kind, String name, Path dataDir, int clientPort, int peerPort,
            String initialCluster) {
        String clientUrl = "http://127.0.0.1:" + clientPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>();
        command.add(kind.executable().toString());
        command.addAll(List.of(
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster));
        return command;
    }

    /** Starts a new process of the same kind on the same data dir, ports and log; this one must be dead. */
    MemberProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("restart of a live member; kill() or close() it first");
        }
        MemberProcess member = spawn(kind, dataDir, log, clientPort, peerPort, command, env -> { });
        member.awaitReadyOrClose();
        return member;
    }

    Kind kind() {
        return kind;
    }

    /** {@code 127.0.0.1:<client port>}, the form etcdctl's {@code --endpoints} takes. */
    String clientEndpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** {@code http://127.0.0.1:<client port>}, the form jetcd's builder takes. */
    String clientUrl() {
        return "http://" + clientEndpoint();
    }

    /** A new jetcd client of this member; the caller closes it. */
    io.etcd.jetcd.Client jetcdClient() {
        return io.etcd.jetcd.Client.builder().endpoints(clientUrl()).build();
    }

    /** An etcdctl bound to this member's client endpoint. */
    Etcdctl etcdctl() {
        return new Etcdctl(clientEndpoint());
    }

    Path dataDir() {
        return dataDir;
    }

    /** The OS process (the launcher; etcetera's JVM may be a child of it). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9} of the member and its descendants, then waits until the launcher is gone. */
    void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(STOP_TIMEOUT, descendants);
    }

    /** Stops the member (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}); idempotent. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        if (!awaitExit(STOP_TIMEOUT, descendants)) {
            kill();
        }
    }

    /** The member's log so far (stdout and stderr of every start), for failure messages. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    /** A header plus the log tail, for failure messages. */
    String describe() {
        String text = log();
        int maxChars = 20_000;
        String tail = text.length() > maxChars ? "...\n" + text.substring(text.length() - maxChars) : text;
        return "=== " + kind + " member " + clientEndpoint() + " data-dir " + dataDir + " log " + log
                + (process.isAlive() ? " (alive)" : " (exit " + process.exitValue() + ")")
                + "\n" + tail + "=== end of log\n";
    }

    private void awaitReady(String consistency) {
        Etcdctl etcdctl = etcdctl();
        Await.until(READY_TIMEOUT, kind + " at " + clientEndpoint() + " serves reads", () -> {
            if (!process.isAlive()) {
                throw new AssertionError(kind + " exited with status " + process.exitValue() + " before serving");
            }
            return acceptsConnections()
                    && etcdctl.run(List.of("--dial-timeout=1s", "--command-timeout=2s", "get", "probe",
                            "--consistency=" + consistency), "").ok();
        });
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean awaitExit(Duration timeout, List<ProcessHandle> descendants) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        // A forked JVM dies a little after the launcher script; wait for it too.
        try {
            Await.until(timeout, "descendants of " + kind + " exit",
                    () -> descendants.stream().noneMatch(ProcessHandle::isAlive));
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /**
     * Starts member {@code name} joining a running cluster that already added it ({@code etcdctl
     * member add}): {@code --initial-cluster-state existing}, the {@code --initial-cluster}
     * etcdctl printed, token {@code it-cluster}, peer port {@code peerPort} (the one given to
     * {@code member add}), a fresh client port, data dir {@code root/<name>} and log
     * {@code root/<name>.log}; returns once it serves a read. The caller closes it.
     *
     * @throws AssertionError as {@link #start}; the process is reaped first
     */
    static MemberProcess startJoining(Kind kind, Path root, String name, int peerPort, String initialCluster,
            List<String> extraArgs) {
        int clientPort = FreePort.onLoopback();
        Path dataDir = root.resolve(name);
        List<String> command = new ArrayList<>(command(kind, name, dataDir, clientPort, peerPort, initialCluster));
        command.addAll(List.of("--initial-cluster-state", "existing", "--initial-cluster-token", "it-cluster"));
        command.addAll(extraArgs);
        MemberProcess member = spawn(kind, dataDir, root.resolve(name + ".log"), clientPort, peerPort, command, env -> { });
        // A member that joins may be a learner, which serves serializable reads only (as etcd's).
        member.awaitReadyOrClose("s");
        return member;
    }

    /** The exit status of the process, empty while it runs. */
    java.util.OptionalInt exitCode() {
        return process.isAlive() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(process.exitValue());
    }

    /**
     * {@link #startCluster(Kind, Path, int, List)} with every member's peer traffic through
     * {@code network}: member {@code m<i+1>} listens on {@code network.proxies().get(i)}'s target
     * port and advertises the proxy's URL (in {@code --initial-advertise-peer-urls} and
     * {@code --initial-cluster}), so every peer dials it through the proxy. etcetera kinds only:
     * the proxies read etcetera's peer handshake, not etcd's HTTP {@code rafthttp}.
     */
    static List<MemberProcess> startCluster(Kind kind, Path root, PeerNetwork network, List<String> extraArgs) {
        return startStaticCluster(kind, root, network.proxies().stream().map(PeerProxy::targetPort).toList(),
                network.proxies().stream().map(PeerProxy::url).toList(), extraArgs);
    }

    /**
     * Starts dead members again all at once, each on its data dir, ports and log, and returns
     * once every one serves a linearizable read: a whole cluster restarted together, where
     * {@link #restart()} one by one would wait for a quorum that is not up yet.
     *
     * @param dead members of one cluster that are no longer running
     * @return the new processes, in the order of {@code dead}
     * @throws AssertionError as {@link #start}; every new process is reaped first
     */
    static List<MemberProcess> restartAll(List<MemberProcess> dead) {
        if (dead.stream().anyMatch(MemberProcess::isAlive)) {
            throw new IllegalStateException("restart of a live member; kill() or close() it first");
        }
        return spawnAllAndAwait(dead.stream().<Supplier<MemberProcess>>map(member -> () -> spawn(member.kind,
                member.dataDir, member.log, member.clientPort, member.peerPort, member.command, env -> { })).toList());
    }

    /**
     * Spawns member {@code m<i+1>} listening for peers on {@code peerPorts[i]} and advertising
     * {@code advertisedPeerUrls[i]} (the same URL unless a proxy sits in between), then waits
     * for all; {@code --initial-cluster} lists the advertised URLs.
     */
    private static List<MemberProcess> startStaticCluster(Kind kind, Path root, List<Integer> peerPorts,
            List<String> advertisedPeerUrls, List<String> extraArgs) {
        int size = peerPorts.size();
        StringBuilder initialCluster = new StringBuilder();
        for (int i = 0; i < size; i++) {
            initialCluster.append(i == 0 ? "" : ",").append("m").append(i + 1).append('=').append(advertisedPeerUrls.get(i));
        }
        List<Supplier<MemberProcess>> spawns = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String name = "m" + (i + 1);
            Path dataDir = root.resolve(name);
            int clientPort = FreePort.onLoopback();
            int peerPort = peerPorts.get(i);
            List<String> command = new ArrayList<>(command(kind, name, dataDir, clientPort, peerPort,
                    initialCluster.toString()));
            command.set(command.indexOf("--initial-advertise-peer-urls") + 1, advertisedPeerUrls.get(i));
            command.addAll(List.of("--initial-cluster-state", "new", "--initial-cluster-token", "it-cluster"));
            command.addAll(extraArgs);
            spawns.add(() -> spawn(kind, dataDir, root.resolve(name + ".log"), clientPort, peerPort, command,
                    env -> { }));
        }
        return spawnAllAndAwait(spawns);
    }

    /**
     * Spawns every member first, then waits for each to serve (members of one cluster wait for a
     * quorum, so none can be awaited before all are spawned); reaps all on any failure.
     */
    private static List<MemberProcess> spawnAllAndAwait(List<Supplier<MemberProcess>> spawns) {
        List<MemberProcess> members = new ArrayList<>();
        try {
            for (Supplier<MemberProcess> spawn : spawns) {
                members.add(spawn.get());
            }
            for (MemberProcess member : members) {
                member.awaitReadyOrClose();
            }
        } catch (RuntimeException | AssertionError e) {
            members.forEach(MemberProcess::close);
            throw e;
        }
        return members;
    }
}
