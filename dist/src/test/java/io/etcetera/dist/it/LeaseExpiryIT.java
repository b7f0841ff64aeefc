package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lease expiry on a running member, timed on the wall clock: a key on a lease nobody keeps alive
 * is deleted within the lease's TTL plus one second (etcd's lessor looks every 500 ms), not before
 * the TTL, and a restart renews leases instead of forgetting them (etcd's extend on promote).
 * With {@code -Detcetera.it.reference-only=true} the member is real etcd.
 */
class LeaseExpiryIT {

    private static final long TTL_SECONDS = 5;
    /** The slack allowed after the TTL: the lessor's 500 ms tick, the revocation's trip through the log. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    @RegisterExtension
    final Members members = new Members();

    /** Grants a {@value #TTL_SECONDS} s lease and puts {@code key} on it; returns the lease id in hex. */
    private static String grantAndPut(Etcdctl etcdctl, String key) {
        Command.Result granted = etcdctl.run("lease", "grant", Long.toString(TTL_SECONDS));
        assertThat(granted.ok()).as(granted.toString()).isTrue();
        String id = granted.stdout().split(" ")[1];
        assertThat(etcdctl.run("put", "--lease=" + id, key, "v").stdout()).isEqualTo("OK\n");
        return id;
    }

    private static boolean exists(Etcdctl etcdctl, String key) {
        Command.Result get = etcdctl.run("get", key, "--print-value-only");
        assertThat(get.ok()).as(get.toString()).isTrue();
        return !get.stdout().isEmpty();
    }

    @Test
    void aKeyOnALeaseWithoutKeepAliveIsGoneWithinTtlPlusOneSecond() {
        Etcdctl etcdctl = members.start(Executables.candidate()).etcdctl();
        long grantedNanos = System.nanoTime();
        String id = grantAndPut(etcdctl, "ephemeral");
        assertThat(exists(etcdctl, "ephemeral")).isTrue();

        Duration deadline = Duration.ofSeconds(TTL_SECONDS).plus(SLACK)
                .minusNanos(System.nanoTime() - grantedNanos);
        Await.until(deadline, "the key of expired lease " + id + " is deleted", () -> !exists(etcdctl, "ephemeral"));

        assertThat(Duration.ofNanos(System.nanoTime() - grantedNanos)).as("not before the TTL")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(TTL_SECONDS).minus(Duration.ofMillis(100)));
        assertThat(etcdctl.run("lease", "timetolive", id).stdout()).isEqualTo("lease " + id + " already expired\n");
    }

    @Test
    void aLeaseSurvivesARestartAndThenExpires() {
        MemberProcess member = members.start(Executables.candidate());
        String id = grantAndPut(member.etcdctl(), "persistent");
        member.close();

        MemberProcess restarted = members.restart(member);
        long restartedNanos = System.nanoTime();
        Etcdctl etcdctl = restarted.etcdctl();
        assertThat(exists(etcdctl, "persistent")).as("the lease is renewed on restart, not lost").isTrue();
        assertThat(etcdctl.run("lease", "timetolive", "--keys", id).stdout())
                .startsWith("lease " + id + " granted with TTL(5s), remaining(")
                .endsWith("attached keys([persistent])\n");

        // TTL plus the election timeout etcd adds on promotion, plus the slack
        Duration deadline = Duration.ofSeconds(TTL_SECONDS + 1).plus(SLACK)
                .minusNanos(System.nanoTime() - restartedNanos);
        Await.until(deadline, "the key of lease " + id + " is deleted after the restart",
                () -> !exists(etcdctl, "persistent"));
    }
}
