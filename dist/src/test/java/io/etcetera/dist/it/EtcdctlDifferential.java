package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Runs one scripted etcdctl session ({@link EtcdctlScript}) against a reference deployment (real
 * etcd 3.4.23) and a candidate (etcetera) side by side, and compares exit code, stdout and stderr
 * step by step after normalising what legitimately differs between two fresh clusters.
 *
 * <p>Every mismatch is reported (step, command, etcd's output, etcetera's output), not only the
 * first. etcd's transcript and the mismatches are written under {@code target/it-reports/<name>}
 * for reading after the build. Thread-safety: for one test thread.
 */
final class EtcdctlDifferential {

    /**
     * Where the script runs: one member, or a cluster whose steps go to chosen endpoints.
     * Implementations are owned by the test that created them.
     */
    interface Deployment {
        /** The etcdctl that runs {@code step}. */
        Etcdctl etcdctlFor(EtcdctlScript.Invocation step);

        /** Stops every member gracefully (SIGTERM) and starts it again on its data dir; for {@code !restart}. */
        void restart();
    }

    private EtcdctlDifferential() {
    }

    /**
     * Runs {@code script} on both deployments and fails listing every step whose normalised
     * result differs.
     *
     * @param reportName directory name under {@code target/it-reports} for the transcript and mismatches
     * @param normalise applied to both results of each step before they are compared
     * @throws AssertionError naming each mismatch
     */
    static void assertSameAnswers(EtcdctlScript script, Deployment reference, Deployment candidate, String reportName,
            UnaryOperator<Command.Result> normalise) {
        List<String> mismatches = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        for (EtcdctlScript.Step step : script.steps()) {
            transcript.append("### ").append(script.resource()).append(':').append(step.line());
            // Java 17 has no pattern switch over the sealed Step yet.
            if (step instanceof EtcdctlScript.Restart) {
                reference.restart();
                candidate.restart();
                transcript.append(" restarted both deployments\n\n");
            } else if (step instanceof EtcdctlScript.Invocation invocation) {
                long startNanos = System.nanoTime();
                Etcdctl referenceEtcdctl = reference.etcdctlFor(invocation);
                Command.Result[] results = runOnBoth(invocation, referenceEtcdctl, candidate.etcdctlFor(invocation),
                        normalise);
                long elapsedMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
                transcript.append(" (").append(elapsedMs).append(" ms, ").append(referenceEtcdctl.endpoint())
                        .append(")\n$ ").append(invocation.commandLine()).append('\n').append(results[0]).append('\n');
                if (!results[0].equals(results[1])) {
                    mismatches.add(describe(script, invocation, results[0], results[1]));
                }
            }
        }
        Path reportDir = Path.of("target", "it-reports", reportName);
        writeReport(reportDir, "etcd-transcript.txt", transcript.toString());
        writeReport(reportDir, "mismatches.txt", String.join("\n", mismatches));

        assertThat(mismatches)
                .as(() -> mismatches.size() + " of " + script.steps().size() + " steps of " + script.resource()
                        + " differ between etcd (expected) and " + Executables.candidate() + " (actual):\n\n"
                        + String.join("\n", mismatches))
                .isEmpty();
    }

    /**
     * Runs one step on both deployments at once (the script's wall time is the slower one's).
     *
     * @return {etcd's normalised result, the candidate's normalised result}
     */
    private static Command.Result[] runOnBoth(EtcdctlScript.Invocation step, Etcdctl reference, Etcdctl candidate,
            UnaryOperator<Command.Result> normalise) {
        CompletableFuture<Command.Result> fromCandidate =
                CompletableFuture.supplyAsync(() -> candidate.run(step.args(), step.stdin()));
        Command.Result expected = normalise.apply(reference.run(step.args(), step.stdin()));
        return new Command.Result[] {expected, normalise.apply(fromCandidate.join())};
    }

    private static void writeReport(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private static String describe(EtcdctlScript script, EtcdctlScript.Invocation step, Command.Result expected,
            Command.Result actual) {
        StringBuilder text = new StringBuilder();
        text.append("### step at ").append(script.resource()).append(':').append(step.line()).append('\n')
                .append("$ ").append(step.commandLine()).append('\n');
        if (expected.exitCode() != actual.exitCode()) {
            text.append("exit code: etcd ").append(expected.exitCode())
                    .append(", etcetera ").append(actual.exitCode()).append('\n');
        }
        appendStream(text, "stdout", expected.stdout(), actual.stdout());
        appendStream(text, "stderr", expected.stderr(), actual.stderr());
        return text.toString();
    }

    private static void appendStream(StringBuilder text, String name, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        text.append("--- ").append(name).append(" from etcd:\n").append(indent(expected))
                .append("+++ ").append(name).append(" from etcetera:\n").append(indent(actual));
    }

    private static String indent(String text) {
        if (text.isEmpty()) {
            return "    (empty)\n";
        }
        StringBuilder indented = new StringBuilder();
        text.lines().forEach(line -> indented.append("    ").append(line).append('\n'));
        if (!text.endsWith("\n")) {
            indented.append("    (no newline at end)\n");
        }
        return indented.toString();
    }
}
