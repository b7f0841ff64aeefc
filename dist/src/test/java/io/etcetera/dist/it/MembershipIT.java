package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run-time membership of a three-process cluster with real etcdctl: {@code member add --learner},
 * the new member joining with {@code --initial-cluster-state existing} and the
 * {@code ETCD_INITIAL_CLUSTER} etcdctl printed, serving serializable reads of the cluster's data,
 * {@code member promote}, {@code member list} with four started voters and their client URLs,
 * {@code member update}, {@code member remove} (the removed process exits non-zero), and
 * {@code move-leader} seen in {@code endpoint status}. Error texts were taken from etcd 3.4.23
 * ({@code etcdctl member promote <voter>}, {@code etcdctl member remove 1234}).
 */
class MembershipIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** etcdctl prints ids with {@code %16x}: an id of fewer than 16 hex digits is padded with spaces. */
    private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster +([0-9a-f]+)");
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"");

    @RegisterExtension
    final Members members = new Members();

    @Test
    void aLearnerJoinsIsPromotedUpdatedAndRemovedAndLeadershipMoves() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        Etcdctl all = new Etcdctl(endpoints(cluster));
        Await.until(TIMEOUT, "every member published its name and client URLs",
                () -> memberRows(all).size() == 3 && memberRows(all).stream().allMatch(r -> r.contains(", started, ")));
        assertThat(run(cluster.get(0).etcdctl(), "put", "before-join", "v1").ok()).isTrue();

        // etcd 3.4.23's answers, byte for byte
        String voterId = memberRows(all).get(0).split(", ")[0];
        Await.until(TIMEOUT, "promoting a voter is refused", () -> {
            Command.Result promote = all.run("member", "promote", voterId);
            assertThat(promote.ok()).isFalse();
            return promote.stderr().contains("Error: etcdserver: can only promote a learner member\n");
        });
        Command.Result removeUnknown = all.run("member", "remove", "1234");
        assertThat(removeUnknown.ok()).isFalse();
        assertThat(removeUnknown.stderr()).contains("Error: etcdserver: member not found");

        int peerPort = FreePort.onLoopback();
        Command.Result add = run(all, "member", "add", "m4", "--learner", "--peer-urls=http://127.0.0.1:" + peerPort);
        String learnerId = find(ADDED, add.stdout());
        String initialCluster = find(INITIAL_CLUSTER, add.stdout());
        assertThat(add.stdout()).contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
        assertThat(initialCluster).contains("m4=http://127.0.0.1:" + peerPort).contains("m1=").contains("m3=");

        Path root = TempDirs.create("etcetera-it-join-");
        MemberProcess joined = MemberProcess.startJoining(Executables.candidate(), root, "m4", peerPort, initialCluster,
                List.of());
        try {
            Await.until(TIMEOUT, "the learner serves the cluster's data", () -> "v1".equals(
                    joined.etcdctl().run("get", "before-join", "--consistency=s", "--print-value-only").stdout().strip()));
            // As etcd: a learner serves serializable reads and status only.
            Command.Result refused = joined.etcdctl().run("put", "on-learner", "v");
            assertThat(refused.ok()).isFalse();
            assertThat(refused.stderr()).contains("Error: etcdserver: rpc not supported for learner");
            assertThat(statusRows(joined.etcdctl())).singleElement().asString().contains(", false, true, ");
            Await.until(TIMEOUT, "the learner is promoted once in sync", () -> {
                Command.Result promote = all.run("member", "promote", learnerId);
                assertThat(promote.ok() || promote.stderr().contains("in sync with leader")).as(promote.stderr()).isTrue();
                return promote.ok();
            });
            Await.until(TIMEOUT, "four started voters with client URLs", () -> {
                List<String> rows = memberRows(all);
                return rows.size() == 4 && rows.stream().allMatch(r -> r.contains(", started, ")
                        && r.endsWith(", false") && r.split(", ")[4].startsWith("http://127.0.0.1:"));
            });
            assertThat(run(joined.etcdctl(), "put", "from-m4", "v2").ok()).isTrue();
            assertThat(run(cluster.get(2).etcdctl(), "get", "from-m4", "--print-value-only").stdout().strip())
                    .isEqualTo("v2");

            // a second URL for the same port: the member stays reachable on the first
            String peerUrls = "http://127.0.0.1:" + peerPort + ",http://localhost:" + peerPort;
            run(all, "member", "update", learnerId, "--peer-urls=" + peerUrls);
            assertThat(memberRows(all)).anySatisfy(row -> assertThat(row).startsWith(learnerId + ", ")
                    .contains(", " + peerUrls + ", "));

            run(all, "member", "remove", learnerId);
            assertThat(memberRows(all)).hasSize(3).noneMatch(row -> row.startsWith(learnerId + ", "));
            Await.until(TIMEOUT, "the removed member exits", () -> !joined.isAlive());
            assertThat(joined.exitCode().orElseThrow()).as(joined.describe()).isNotZero();
        } finally {
            joined.close();
        }

        String leader = statusRows(all).stream().filter(r -> r.split(", ")[4].equals("true")).findFirst().orElseThrow();
        String follower = statusRows(all).stream().filter(r -> r.split(", ")[4].equals("false")).findFirst().orElseThrow();
        String followerId = follower.split(", ")[1];
        Command.Result move = run(all, "move-leader", followerId);
        assertThat(move.stdout()).contains("Leadership transferred from " + leader.split(", ")[1] + " to " + followerId);
        Await.until(TIMEOUT, "endpoint status shows the new leader", () -> statusRows(all).stream()
                .filter(r -> r.split(", ")[4].equals("true")).allMatch(r -> r.split(", ")[1].equals(followerId)));
    }

    private static Command.Result run(Etcdctl etcdctl, String... args) {
        Command.Result result = etcdctl.run(args);
        assertThat(result.ok()).as(String.join(" ", args) + ": " + result.stderr()).isTrue();
        return result;
    }

    /** {@code member list} rows: id, status, name, peer URLs, client URLs, is learner. */
    private static List<String> memberRows(Etcdctl etcdctl) {
        Command.Result list = etcdctl.run("member", "list");
        return list.ok() ? list.stdout().lines().toList() : List.of();
    }

    /** {@code endpoint status} rows: endpoint, id, version, db size, is leader, is learner, term, index, applied, errors. */
    private static List<String> statusRows(Etcdctl etcdctl) {
        return etcdctl.run("endpoint", "status").stdout().lines().toList();
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    private static String endpoints(List<MemberProcess> cluster) {
        return cluster.stream().map(MemberProcess::clientEndpoint).collect(Collectors.joining(","));
    }
}
