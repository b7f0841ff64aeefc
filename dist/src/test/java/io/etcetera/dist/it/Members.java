package io.etcetera.dist.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 extension that starts members for one test and reaps them all after it, pass or fail.
 *
 * <p>Register it per test instance: {@code @RegisterExtension final Members members = new Members();},
 * or per class with {@link #perClass()} on a static field.
 * When a test fails, the logs of the members it started are attached to the failure as
 * suppressed exceptions, and their data dirs are kept for inspection; otherwise data dirs are
 * deleted. A JVM shutdown hook kills anything still running if the test JVM is torn down.
 *
 * <p>Thread-safety: {@link #start} and {@link #restart} may be called from the test thread only.
 */
final class Members implements AfterEachCallback, AfterAllCallback, TestExecutionExceptionHandler {

    /** One member slot: fixed data dir, ports and log across restarts. */
    private record Slot(MemberProcess.Kind kind, Path dir, int clientPort, int peerPort) {
        Path dataDir() {
            return dir.resolve("data");
        }

        Path log() {
            return dir.resolve("member.log");
        }
    }

    private final boolean perClass;
    private final List<Slot> slots = new ArrayList<>();
    private final List<MemberProcess> started = new ArrayList<>();
    private final List<Thread> shutdownHooks = new ArrayList<>();
    private boolean failed;

    /** Members reaped after each test; register on an instance field. */
    Members() {
        this(false);
    }

    private Members(boolean perClass) {
        this.perClass = perClass;
    }

    /**
     * Members shared by the tests of one class and reaped after all of them; register on a
     * static field and start members in {@code @BeforeAll}.
     */
    static Members perClass() {
        return new Members(true);
    }

    /** Starts a fresh member of {@code kind} with its own temp dir and free ports. */
    MemberProcess start(MemberProcess.Kind kind) {
        return start(kind, env -> { });
    }

    /**
     * Starts a fresh member of {@code kind}, applying {@code environment} to its process environment.
     *
     * @throws AssertionError if it does not become ready in {@link MemberProcess#READY_TIMEOUT}
     */
    MemberProcess start(MemberProcess.Kind kind, Consumer<Map<String, String>> environment) {
        Slot slot = new Slot(kind, TempDirs.create("etcetera-it-" + kind.name().toLowerCase() + "-"),
                FreePort.onLoopback(), FreePort.onLoopback());
        slots.add(slot);
        return track(MemberProcess.start(kind, slot.dataDir(), slot.log(), slot.clientPort(), slot.peerPort(),
                environment));
    }

    /**
     * Starts a fresh static cluster of {@code size} members of {@code kind} in one temp dir
     * ({@link MemberProcess#startCluster}); they are reaped like single members.
     */
    List<MemberProcess> startCluster(MemberProcess.Kind kind, int size) {
        Slot slot = new Slot(kind, TempDirs.create("etcetera-it-cluster-" + kind.name().toLowerCase() + "-"), 0, 0);
        slots.add(slot);
        List<MemberProcess> members = MemberProcess.startCluster(kind, slot.dir(), size);
        members.forEach(this::track);
        return members;
    }

    /** Starts {@code dead}'s member again on the same data dir and ports (after {@link MemberProcess#kill()}). */
    MemberProcess restart(MemberProcess dead) {
        return track(dead.restart());
    }

    /**
     * Starts a fresh static cluster of {@code kind} with its peer traffic through {@code network}
     * ({@link MemberProcess#startCluster(MemberProcess.Kind, Path, PeerNetwork, List)}); the
     * caller closes {@code network}, the members are reaped like single members.
     */
    List<MemberProcess> startCluster(MemberProcess.Kind kind, PeerNetwork network) {
        Slot slot = new Slot(kind, TempDirs.create("etcetera-it-cluster-" + kind.name().toLowerCase() + "-"), 0, 0);
        slots.add(slot);
        List<MemberProcess> members = MemberProcess.startCluster(kind, slot.dir(), network, List.of());
        members.forEach(this::track);
        return members;
    }

    /** Starts a whole stopped cluster again at once ({@link MemberProcess#restartAll}). */
    List<MemberProcess> restartAll(List<MemberProcess> dead) {
        List<MemberProcess> members = MemberProcess.restartAll(dead);
        members.forEach(this::track);
        return members;
    }

    private MemberProcess track(MemberProcess member) {
        started.add(member);
        // Reaps the member even if the test JVM is torn down before afterEach/afterAll run.
        Thread reaper = new Thread(member::kill, "reap-" + member.clientEndpoint());
        Runtime.getRuntime().addShutdownHook(reaper);
        shutdownHooks.add(reaper);
        return member;
    }

    /** Logs of every member started so far, for assertion messages. */
    String logs() {
        StringBuilder text = new StringBuilder();
        started.forEach(member -> text.append(member.describe()));
        return text.toString();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        failed = true;
        for (MemberProcess member : started) {
            failure.addSuppressed(new MemberLog(member.describe()));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            reap(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        reap(context);
    }

    private void reap(ExtensionContext context) {
        boolean testFailed = failed || context.getExecutionException().isPresent();
        for (MemberProcess member : started) {
            member.close();
        }
        started.clear();
        shutdownHooks.forEach(Runtime.getRuntime()::removeShutdownHook);
        shutdownHooks.clear();
        for (Slot slot : slots) {
            if (testFailed) {
                System.err.println("kept member dir " + slot.dir() + " of failed test " + context.getDisplayName());
            } else {
                TempDirs.deleteRecursively(slot.dir());
            }
        }
        slots.clear();
    }

    /** Carries a member's log on a failed test; has no stack trace of its own. */
    static final class MemberLog extends Exception {
        MemberLog(String log) {
            super(log, null, false, false);
        }
    }
}
