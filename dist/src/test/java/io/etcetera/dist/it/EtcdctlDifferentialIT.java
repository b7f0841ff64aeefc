package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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

    @RegisterExtension
    final Members members = new Members();

    @Test
    void etceteraAnswersEveryEtcdctlStepLikeEtcd() {
        EtcdctlScript script = EtcdctlScript.load(SCRIPT);
        Etcdctl reference = members.start(MemberProcess.Kind.ETCD).etcdctl();
        Etcdctl candidate = members.start(Executables.candidate()).etcdctl();

        List<String> mismatches = new ArrayList<>();
        for (EtcdctlScript.Step step : script.steps()) {
            Etcdctl.Result expected = EtcdctlOutput.normalise(reference.run(step.args(), step.stdin()));
            Etcdctl.Result actual = EtcdctlOutput.normalise(candidate.run(step.args(), step.stdin()));
            if (!expected.equals(actual)) {
                mismatches.add(describe(step, expected, actual));
            }
        }

        assertThat(mismatches)
                .as(() -> mismatches.size() + " of " + script.steps().size() + " steps of " + SCRIPT
                        + " differ between etcd (expected) and " + Executables.candidate() + " (actual):\n\n"
                        + String.join("\n", mismatches))
                .isEmpty();
    }

    private static String describe(EtcdctlScript.Step step, Etcdctl.Result expected, Etcdctl.Result actual) {
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
