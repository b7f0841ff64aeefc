package io.etcetera.dist.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running real {@code etcdctl} (API v3) in the background, such as {@code lock},
 * {@code elect} or {@code watch}, whose output is read while it runs. Standard output and error
 * go to files in a temp dir; standard input is closed, or a pipe the test writes lines to
 * ({@link #interactive}, e.g. {@code watch -i}). {@link #close()} kills the process (if still
 * running), reaps it and deletes the dir. Thread-safety: for one test thread.
 */
final class BackgroundEtcdctl implements AutoCloseable {
    /** Longest wait for a process to exit after {@link #interrupt()} or {@link #close()}. */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final Path dir;
    /** The pipe to etcdctl's standard input; null when it was started with stdin closed. */
    private final OutputStream stdin;

    /** Starts {@code etcdctl --endpoints=<endpoint> args...} with stdin closed. */
    BackgroundEtcdctl(String endpoint, String... args) {
        this(endpoint, false, List.of(args));
    }

    /**
     * Starts {@code etcdctl --endpoints=<endpoint> args...} with stdin a pipe: {@link #type}
     * writes a line to it, {@link #endInput()} closes it.
     */
    static BackgroundEtcdctl interactive(String endpoint, String... args) {
        return new BackgroundEtcdctl(endpoint, true, List.of(args));
    }

    private BackgroundEtcdctl(String endpoint, boolean pipeStdin, List<String> args) {
        dir = TempDirs.create("etcetera-it-etcdctl-");
        List<String> command = new ArrayList<>(List.of(Executables.ETCDCTL.toString(), "--endpoints=" + endpoint));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(pipeStdin ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().put("ETCDCTL_API", "3");
        try {
            process = builder.start();
        } catch (IOException e) {
            TempDirs.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        }
        stdin = pipeStdin ? process.getOutputStream() : null;
    }

    /**
     * Writes {@code line} and a newline (UTF-8) to etcdctl's standard input and flushes.
     *
     * @throws IllegalStateException if it was not started {@link #interactive}
     */
    void type(String line) {
        try {
            interactiveStdin().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            interactiveStdin().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes etcdctl's standard input (end of input) and waits for it to exit by itself.
     *
     * @return the exit code
     * @throws IllegalStateException if it was not started {@link #interactive}
     * @throws AssertionError if it does not exit within 15 s
     */
    int endInput() {
        try {
            interactiveStdin().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return awaitExit();
    }

    private OutputStream interactiveStdin() {
        if (stdin == null) {
            throw new IllegalStateException("etcdctl was started with stdin closed; use interactive(...)");
        }
        return stdin;
    }

    String stdout() {
        return read("stdout");
    }

    String stderr() {
        return read("stderr");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until stdout satisfies {@code condition}; fails naming {@code what} after {@code timeout}. */
    void awaitStdout(Duration timeout, String what, Predicate<String> condition) {
        Await.until(timeout, what + " (stdout so far: " + stdout() + ", stderr: " + stderr() + ")",
                () -> condition.test(stdout()));
    }

    /** Sends SIGTERM (etcdctl lock/elect then unlock or resign and exit) and waits for the exit code. */
    int interrupt() {
        process.destroy();
        return awaitExit();
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit() {
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("etcdctl did not exit within " + EXIT_TIMEOUT + "; stderr: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TempDirs.deleteRecursively(dir);
    }
}
