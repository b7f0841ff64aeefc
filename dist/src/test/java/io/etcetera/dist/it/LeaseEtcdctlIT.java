package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real etcdctl's {@code lease} commands, and puts with {@code --lease}, against real etcd 3.4.23
 * and against etcetera, step by step: exit code, stdout and stderr must be the same once ids are
 * normalised. Lease ids differ between two clusters (etcd derives them from the member id and the
 * clock), so each side's granted ids are replaced, in hex and in decimal, by {@code <lease1>},
 * {@code <lease2>}...; remaining TTLs depend on timing and are checked for range separately.
 */
class LeaseEtcdctlIT {

    private static final Pattern GRANTED = Pattern.compile("^lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)$");
    private static final Pattern REMAINING = Pattern.compile("remaining\\((\\d+)s\\)");
    /**
     * {@code timetolive --keys}: etcd lists a lease's keys in Go map order, which varies from
     * run to run ({@code lease.Keys()} ranges over a map), so the order is not part of the answer.
     */
    private static final Pattern ATTACHED_KEYS = Pattern.compile("attached keys\\(\\[([^\\]]*)\\]\\)");

    @RegisterExtension
    final Members members = new Members();

    /** One side of the comparison: a member, and the lease ids it granted in order. */
    private static final class Side {
        final Etcdctl etcdctl;
        final List<Long> leases = new ArrayList<>();

        Side(MemberProcess member) {
            this.etcdctl = member.etcdctl();
        }

        /** {@code <leaseN>} in {@code args} replaced by this side's N-th lease id, in hex. */
        List<String> resolve(List<String> args) {
            List<String> resolved = new ArrayList<>();
            for (String arg : args) {
                for (int i = 0; i < leases.size(); i++) {
                    arg = arg.replace("<lease" + (i + 1) + ">", Long.toHexString(leases.get(i)));
                }
                resolved.add(arg);
            }
            return resolved;
        }

        Command.Result run(List<String> args) {
            Command.Result result = etcdctl.run(resolve(args), "");
            Matcher granted = GRANTED.matcher(result.stdout().strip());
            if (result.exitCode() == 0 && granted.matches()) {
                leases.add(Long.parseUnsignedLong(granted.group(1), 16));
            }
            return result;
        }

        /** Lease ids as placeholders, then etcetera's usual id normalisation. */
        String normalise(String text) {
            for (int i = 0; i < leases.size(); i++) {
                String placeholder = "<lease" + (i + 1) + ">";
                text = text.replace(String.format("%016x", leases.get(i)), placeholder)
                        .replace(Long.toHexString(leases.get(i)), placeholder)
                        .replace(Long.toString(leases.get(i)), placeholder);
            }
            text = REMAINING.matcher(text).replaceAll("remaining(<n>s)");
            text = ATTACHED_KEYS.matcher(text).replaceAll(keys -> Matcher.quoteReplacement("attached keys(["
                    + String.join(" ", Arrays.stream(keys.group(1).split(" ")).sorted().toList()) + "])"));
            return EtcdctlOutput.normalise(text);
        }
    }

    @Test
    void leaseCommandsAnswerLikeEtcd() {
        Side etcd = new Side(members.start(MemberProcess.Kind.ETCD));
        Side candidate = new Side(members.start(Executables.candidate()));
        List<List<String>> script = List.of(
                List.of("lease", "grant", "60"),
                List.of("put", "--lease=<lease1>", "foo", "bar"),
                List.of("put", "--lease=<lease1>", "foo2", "baz"),
                List.of("put", "plain", "x"),
                List.of("lease", "timetolive", "<lease1>"),
                List.of("lease", "timetolive", "--keys", "<lease1>"),
                List.of("lease", "keep-alive", "--once", "<lease1>"),
                List.of("lease", "list"),
                List.of("get", "foo", "-w", "json"),
                List.of("lease", "grant", "1"),
                List.of("lease", "revoke", "<lease2>"),
                List.of("lease", "grant", "9000000001"),
                List.of("put", "--lease=1234", "k", "v"),
                List.of("lease", "revoke", "<lease1>"),
                List.of("get", "--prefix", "foo", "-w", "json"),
                List.of("get", "plain"),
                List.of("lease", "timetolive", "<lease1>"),
                List.of("lease", "timetolive", "-w", "json", "--keys", "<lease1>"),
                List.of("lease", "keep-alive", "--once", "<lease1>"),
                List.of("lease", "revoke", "<lease1>"),
                List.of("lease", "list", "-w", "json"));

        List<String> mismatches = new ArrayList<>();
        for (List<String> step : script) {
            CompletableFuture<Command.Result> fromCandidate = CompletableFuture.supplyAsync(() -> candidate.run(step));
            Command.Result expected = etcd.run(step);
            Command.Result actual = fromCandidate.join();
            assertRemainingInRange(step, actual);
            Command.Result expectedNormalised = new Command.Result(expected.exitCode(),
                    etcd.normalise(expected.stdout()), etcd.normalise(expected.stderr()));
            Command.Result actualNormalised = new Command.Result(actual.exitCode(),
                    candidate.normalise(actual.stdout()), candidate.normalise(actual.stderr()));
            if (!expectedNormalised.equals(actualNormalised)) {
                mismatches.add("$ etcdctl " + String.join(" ", step) + "\n--- etcd:\n" + expectedNormalised
                        + "\n+++ " + Executables.candidate() + ":\n" + actualNormalised + "\n");
            }
        }

        assertThat(mismatches).as(() -> String.join("\n", mismatches)).isEmpty();
        assertThat(candidate.leases).hasSize(2).allSatisfy(id -> assertThat(id).isPositive());
    }

    /** A 60 s lease just granted or renewed has 55 to 60 s left (timing varies, the range does not). */
    private static void assertRemainingInRange(List<String> step, Command.Result result) {
        Matcher remaining = REMAINING.matcher(result.stdout());
        while (remaining.find()) {
            assertThat(Long.parseLong(remaining.group(1))).as("remaining TTL after " + step).isBetween(55L, 60L);
        }
    }
}
