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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs one scripted etcdctl session against real etcd 3.4.23 and against etcetera, each started
 * fresh, and compares exit code, stdout and stderr step by step after
 * {@link EtcdctlOutput#normalise(String) normalising} ids only.
 *
 * <p>The script is {@code it/etcdctl-differential.script}: puts, gets with every range and sort
 * option, deletes, transactions from standard input, compaction and etcd's error cases. Every
 * mismatch is reported (step, command, etcd's output, etcetera's output), not only the first.
 *
 * <p>With {@code -Detcetera.it.reference-only=true} both members are real etcd, which checks that
 * the script is deterministic and the normalisation sufficient.
 */
class EtcdctlDifferentialIT {

    private static final String SCRIPT = "it/etcdctl-differential.script";

    /** Where the etcd transcript and the mismatch report are written (relative to the dist module). */
    private static final Path REPORT_DIR = Path.of("target", "it-reports", "etcdctl-differential");

    @RegisterExtension
    final Members members = new Members();

    @Test
    void etceteraAnswersEveryEtcdctlStepLikeEtcd() {
        EtcdctlScript script = EtcdctlScript.load(SCRIPT);
        MemberProcess reference = members.start(MemberProcess.Kind.ETCD);
        MemberProcess candidate = members.start(Executables.candidate());

        List<String> mismatches = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        for (EtcdctlScript.Step step : script.steps()) {
            transcript.append("### ").append(SCRIPT).append(':').append(step.line());
            // Java 17 has no pattern switch over the sealed Step yet.
            if (step instanceof EtcdctlScript.Restart) {
                reference = restartGracefully(reference);
                candidate = restartGracefully(candidate);
                transcript.append(" restarted both members\n\n");
            } else if (step instanceof EtcdctlScript.Invocation invocation) {
                long startNanos = System.nanoTime();
                Command.Result[] results = runOnBoth(invocation, reference.etcdctl(), candidate.etcdctl());
                long elapsedMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
                transcript.append(" (").append(elapsedMs).append(" ms)\n$ ").append(invocation.commandLine())
                        .append('\n').append(results[0]).append('\n');
                if (!results[0].equals(results[1])) {
                    mismatches.add(describe(invocation, results[0], results[1]));
                }
            }
        }
        writeReport("etcd-transcript.txt", transcript.toString());
        writeReport("mismatches.txt", String.join("\n", mismatches));

        assertThat(mismatches)
                .as(() -> mismatches.size() + " of " + script.steps().size() + " steps of " + SCRIPT
                        + " differ between etcd (expected) and " + Executables.candidate() + " (actual):\n\n"
                        + String.join("\n", mismatches))
                .isEmpty();
    }

    /**
     * Runs one step on both members at once (the script's wall time is the slower member's).
     *
     * @return {etcd's normalised result, the candidate's normalised result}
     */
    private static Command.Result[] runOnBoth(EtcdctlScript.Invocation step, Etcdctl reference, Etcdctl candidate) {
        CompletableFuture<Command.Result> fromCandidate =
                CompletableFuture.supplyAsync(() -> candidate.run(step.args(), step.stdin()));
        Command.Result expected = EtcdctlOutput.normalise(reference.run(step.args(), step.stdin()));
        return new Command.Result[] {expected, EtcdctlOutput.normalise(fromCandidate.join())};
    }

    private MemberProcess restartGracefully(MemberProcess member) {
        member.close();
        return members.restart(member);
    }

    /** Keeps etcd's transcript and the mismatches under target/ for reading after the build. */
    private static void writeReport(String name, String text) {
        try {
            Files.createDirectories(REPORT_DIR);
            Files.writeString(REPORT_DIR.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + REPORT_DIR.resolve(name), e);
        }
    }

    private static String describe(EtcdctlScript.Invocation step, Command.Result expected, Command.Result actual) {
        StringBuilder text = new StringBuilder();
        text.append("### step at ").append(SCRIPT).append(':').append(step.line()).append('\n')
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
