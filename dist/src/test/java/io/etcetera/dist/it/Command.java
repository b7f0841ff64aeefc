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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a short-lived program to completion with a deadline and captures what it printed.
 *
 * <p>Output goes through temporary files so a chatty process can never block on a full pipe.
 * A process that outlives its timeout is killed (SIGKILL) and reported as an
 * {@link AssertionError}. Thread-safety: stateless; runs may overlap.
 */
final class Command {

    /**
     * What one run produced.
     *
     * @param exitCode the process exit status
     * @param stdout standard output as UTF-8 text, or a hex dump if it is not UTF-8
     * @param stderr standard error, decoded the same way
     */
    record Result(int exitCode, String stdout, String stderr) {

        /** True if the program exited with status 0. */
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Command() {
    }

    /**
     * Runs {@code command} and waits for it.
     *
     * @param command the program and its arguments
     * @param environment changes applied to a copy of this JVM's environment
     * @param stdin standard input, UTF-8
     * @param timeout longest time the program may run
     * @throws AssertionError if it does not finish within {@code timeout}
     * @throws UncheckedIOException if it cannot be started
     */
    static Result run(List<String> command, Consumer<Map<String, String>> environment, String stdin,
            Duration timeout) {
        Path scratch = TempDirs.create("etcetera-it-run-");
        try {
            Path in = Files.writeString(scratch.resolve("stdin"), stdin, StandardCharsets.UTF_8);
            Path out = scratch.resolve("stdout");
            Path err = scratch.resolve("stderr");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            environment.accept(builder.environment());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("did not finish within " + timeout + ": " + command
                        + "\n" + decode(Files.readAllBytes(out)) + decode(Files.readAllBytes(err)));
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

    /**
     * UTF-8 text as is; anything else (such as {@code etcdctl -w protobuf} output) as a hex dump,
     * so binary output still compares byte for byte.
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
}
