package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watch, lock and election across the members of a static three-member cluster, with real
 * etcdctl: each client talks to a different member, so every step crosses Raft (writes),
 * the followers' ReadIndex (reads) and lease forwarding (the sessions' keep-alives).
 * <ul>
 *   <li>a watch on member 2 sees every put made through member 3, in order, with no gap;</li>
 *   <li>{@code etcdctl lock} on member 1 holds the lock; a contender on member 2 waits until the
 *       first exits, then runs its command;</li>
 *   <li>{@code etcdctl elect} candidates on members 1 and 2 and an {@code elect -l} observer on
 *       member 3: the observer sees the first candidate, then the second when the first resigns.</li>
 * </ul>
 */
class CoordinationClusterIT {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    private static final int PUTS = 30;

    @RegisterExtension
    final Members members = new Members();

    @Test
    void aWatchOnOneMemberSeesEveryPutThroughAnotherInOrder() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        MemberProcess watcher = cluster.get(1);
        MemberProcess writer = cluster.get(2);
        try (BackgroundEtcdctl watch = new BackgroundEtcdctl(watcher.clientEndpoint(), "watch", "--prefix", "seq/")) {
            // The watch is created once a put made after its start reaches it.
            Await.until(STEP_TIMEOUT, "the watch is running", () -> {
                Command.Result put = writer.etcdctl().run("put", "seq/000", "ready");
                return put.ok() && watch.stdout().contains("seq/000");
            });
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= PUTS; i++) {
                String key = String.format("seq/%03d", i);
                Command.Result put = writer.etcdctl().run("put", key, "v" + i);
                assertThat(put.ok()).as(put.toString()).isTrue();
                expected.append("PUT\n").append(key).append('\n').append("v").append(i).append('\n');
            }
            watch.awaitStdout(STEP_TIMEOUT, "every put, in order", out -> out.endsWith(expected.toString()));
            String afterReady = watch.stdout().substring(watch.stdout().lastIndexOf("PUT\nseq/000\nready\n")
                    + "PUT\nseq/000\nready\n".length());
            assertThat(afterReady).as("no gap, no duplicate").isEqualTo(expected.toString());
        }
    }

    @Test
    void lockContendersOnDifferentMembersTakeTurns() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        try (BackgroundEtcdctl first = new BackgroundEtcdctl(cluster.get(0).clientEndpoint(), "lock", "mylock")) {
            first.awaitStdout(STEP_TIMEOUT, "the first holder prints its key", out -> out.startsWith("mylock/"));
            try (BackgroundEtcdctl second = new BackgroundEtcdctl(cluster.get(1).clientEndpoint(), "lock", "mylock", "--",
                    "sh", "-c", "echo held-by-second")) {
                Await.until(STEP_TIMEOUT, "the second contender's key", () -> keys(cluster.get(2), "mylock/").size() == 2);
                assertThat(second.isAlive()).isTrue();
                assertThat(second.stdout()).as("the second contender waits").isEmpty();

                assertThat(first.interrupt()).isZero();
                second.awaitStdout(STEP_TIMEOUT, "the second holder runs its command", out -> out.equals("held-by-second\n"));
                assertThat(second.awaitExit()).isZero();
            }
        }
        assertThat(keys(cluster.get(2), "mylock/")).isEmpty();
    }

    @Test
    void anObserverOnAThirdMemberSeesTheCandidatesOfTheOtherTwoWinInTurn() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        String elected1 = "myelection/[0-9a-f]+\ncandidate1\n";
        String elected2 = "myelection/[0-9a-f]+\ncandidate2\n";
        try (BackgroundEtcdctl candidate1 = new BackgroundEtcdctl(cluster.get(0).clientEndpoint(), "elect", "myelection", "candidate1");
             BackgroundEtcdctl observer = new BackgroundEtcdctl(cluster.get(2).clientEndpoint(), "elect", "-l", "myelection")) {
            candidate1.awaitStdout(STEP_TIMEOUT, "candidate1 is elected", out -> out.matches(elected1));
            observer.awaitStdout(STEP_TIMEOUT, "the observer prints candidate1", out -> out.matches(elected1));
            try (BackgroundEtcdctl candidate2 = new BackgroundEtcdctl(cluster.get(1).clientEndpoint(), "elect", "myelection", "candidate2")) {
                Await.until(STEP_TIMEOUT, "candidate2's key", () -> keys(cluster.get(2), "myelection/").size() == 2);
                assertThat(candidate2.stdout()).as("candidate2 waits").isEmpty();

                assertThat(candidate1.interrupt()).isZero();
                candidate2.awaitStdout(STEP_TIMEOUT, "candidate2 is elected", out -> out.matches(elected2));
                observer.awaitStdout(STEP_TIMEOUT, "the observer prints candidate2", out -> out.matches(elected1 + elected2));
                assertThat(candidate2.interrupt()).isZero();
            }
            assertThat(observer.isAlive()).isTrue();
        }
    }

    private static List<String> keys(MemberProcess member, String prefix) {
        Command.Result keys = member.etcdctl().run("get", "--prefix", "--keys-only", prefix);
        assertThat(keys.ok()).as(keys.toString()).isTrue();
        return new ArrayList<>(keys.stdout().lines().filter(line -> !line.isEmpty()).toList());
    }
}
