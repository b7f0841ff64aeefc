package io.etcetera.dist.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs real {@code etcdctl} (API v3) against one client endpoint.
 *
 * <p>Each run is bounded by {@link #RUN_TIMEOUT}; a run that outlives it is killed and reported
 * as an {@link AssertionError}. Output is captured through temporary files so a chatty process
 * can never block on a full pipe. Thread-safety: immutable; runs may overlap.
 *
 * @param endpoint {@code host:port} of the member's client URL, e.g. {@code 127.0.0.1:40123}
 */
record Etcdctl(String endpoint) {

    /** Longest time one etcdctl invocation may take; etcdctl's own command timeout is 5 s. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(20);

    /**
     * What one etcdctl invocation produced.
     *
     * @param exitCode the process exit status (0 success, 1 server error, 2 bad args, 3 bad input)
     * @param stdout everything written to standard output, UTF-8
     * @param stderr everything written to standard error, UTF-8
     */
    record Result(int exitCode, String stdout, String stderr) {

        /** True if etcdctl exited with status 0. */
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /**
     * UTF-8 text as is; anything else (such as {@code -w protobuf} output) as a hex dump, so binary
     * output still compares byte for byte.
     */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return "(binary, " + bytes.length + " bytes) " + HexFormat.of().formatHex(bytes) + "\n";
        }
    }

    /** Runs {@code etcdctl --endpoints=<endpoint> args...} with empty standard input. */
    Result run(String... args) {
        return run(List.of(args), "");
    }

    /**
     * Runs {@code etcdctl --endpoints=<endpoint> args...} feeding {@code stdin} (UTF-8).
     *
     * @throws AssertionError if etcdctl does not finish within {@link #RUN_TIMEOUT}
     */
    Result run(List<String> args, String stdin) {
        List<String> command = new ArrayList<>();
        command.add(Executables.ETCDCTL.toString());
        command.add("--endpoints=" + endpoint);
        command.addAll(args);
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("etcdctl-");
            Path in = Files.writeString(scratch.resolve("stdin"), stdin, StandardCharsets.UTF_8);
            Path out = scratch.resolve("stdout");
            Path err = scratch.resolve("stderr");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("ETCDCTL_API", "3");
            Process process = builder.start();
            if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("etcdctl did not finish within " + RUN_TIMEOUT + ": " + command
                        + "\n" + decode(Files.readAllBytes(err)));
            }
            return new Result(process.exitValue(), decode(Files.readAllBytes(out)), decode(Files.readAllBytes(err)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            TempDirs.deleteRecursively(scratch);
        }
    }
}
