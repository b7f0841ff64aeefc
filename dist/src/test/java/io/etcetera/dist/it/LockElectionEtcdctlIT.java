package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real {@code etcdctl lock} and {@code etcdctl elect} (which build locks and elections in the
 * client from KV, Lease and Watch: {@code clientv3/concurrency}) against etcetera and, as the
 * reference, real etcd 3.4.23: the same steps run on each, with the same expectations.
 *
 * <p>Lock: a first holder ({@code etcdctl lock mylock}, printing its key) holds the lock; a
 * second ({@code etcdctl lock mylock -- sh -c 'echo held-by-second'}) creates its key and
 * waits, printing nothing, until the first is stopped (SIGTERM: it unlocks), then runs its
 * command and exits 0, leaving no key. Election: candidate1 wins, an observer
 * ({@code elect -l}) prints it, candidate2 waits; stopping candidate1 (it resigns) elects
 * candidate2, which the observer prints. Every process is bounded in time and reaped.
 */
class LockElectionEtcdctlIT {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final Members members = new Members();

    /** Runs {@code steps} on a fresh etcd (the reference), then on a fresh etcetera member. */
    private void onEtcdThenEtcetera(Consumer<MemberProcess> steps) {
        steps.accept(members.start(MemberProcess.Kind.ETCD));
        if (!Executables.referenceOnly()) {
            steps.accept(members.start(Executables.candidate()));
        }
    }

    @Test
    void aSecondLockHolderWaitsUntilTheFirstExits() {
        onEtcdThenEtcetera(LockElectionEtcdctlIT::lockSession);
    }

    @Test
    void theObserverSeesTheSecondCandidateWinWhenTheFirstResigns() {
        onEtcdThenEtcetera(LockElectionEtcdctlIT::electionSession);
    }

    private static void lockSession(MemberProcess member) {
        String endpoint = member.clientEndpoint();
        try (BackgroundEtcdctl first = new BackgroundEtcdctl(endpoint, "lock", "mylock")) {
            first.awaitStdout(STEP_TIMEOUT, "the first holder prints its key", out -> out.startsWith("mylock/"));
            try (BackgroundEtcdctl second = new BackgroundEtcdctl(endpoint, "lock", "mylock", "--", "sh", "-c",
                    "echo held-by-second")) {
                Await.until(STEP_TIMEOUT, "the second contender's key", () -> lockKeys(member).size() == 2);
                assertThat(second.isAlive()).isTrue();
                assertThat(second.stdout()).isEmpty();

                assertThat(first.interrupt()).isZero();
                second.awaitStdout(STEP_TIMEOUT, "the second holder runs its command", out -> out.equals("held-by-second\n"));
                assertThat(second.awaitExit()).isZero();
            }
        }
        assertThat(lockKeys(member)).isEmpty();
    }

    private static void electionSession(MemberProcess member) {
        String endpoint = member.clientEndpoint();
        try (BackgroundEtcdctl candidate1 = new BackgroundEtcdctl(endpoint, "elect", "myelection", "candidate1");
             BackgroundEtcdctl observer = new BackgroundEtcdctl(endpoint, "elect", "-l", "myelection")) {
            candidate1.awaitStdout(STEP_TIMEOUT, "candidate1 is elected", out -> out.matches("myelection/[0-9a-f]+\ncandidate1\n"));
            observer.awaitStdout(STEP_TIMEOUT, "the observer prints candidate1",
                    out -> out.matches("myelection/[0-9a-f]+\ncandidate1\n"));
            try (BackgroundEtcdctl candidate2 = new BackgroundEtcdctl(endpoint, "elect", "myelection", "candidate2")) {
                Await.until(STEP_TIMEOUT, "candidate2's key", () -> member.etcdctl()
                        .run("get", "--prefix", "--keys-only", "myelection/").stdout().lines().filter(l -> !l.isEmpty()).count() == 2);
                assertThat(candidate2.stdout()).isEmpty();

                assertThat(candidate1.interrupt()).isZero();
                candidate2.awaitStdout(STEP_TIMEOUT, "candidate2 is elected", out -> out.matches("myelection/[0-9a-f]+\ncandidate2\n"));
                observer.awaitStdout(STEP_TIMEOUT, "the observer prints candidate2",
                        out -> out.matches("myelection/[0-9a-f]+\ncandidate1\nmyelection/[0-9a-f]+\ncandidate2\n"));
                assertThat(candidate2.interrupt()).isZero();
            }
            assertThat(observer.isAlive()).isTrue();
        }
    }

    private static List<String> lockKeys(MemberProcess member) {
        Command.Result keys = member.etcdctl().run("get", "--prefix", "--keys-only", "mylock/");
        assertThat(keys.ok()).as(keys.stderr()).isTrue();
        return keys.stdout().lines().filter(line -> !line.isEmpty()).toList();
    }
}
