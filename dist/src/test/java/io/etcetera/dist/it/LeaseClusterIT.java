package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases on a static three-member cluster, driven with real etcdctl through followers: only the
 * leader's lessor keeps expiries, so a follower forwards keep-alive and time-to-live to it
 * (etcd's {@code LeaseRenew}/{@code LeaseTimeToLive} over the peer port).
 * <ul>
 *   <li>grant, keep-alive and time-to-live through a follower answer as on the leader;</li>
 *   <li>a key on a 5 s lease with no keep-alive is deleted within TTL + 1 s of the grant, and
 *       every member's history holds the deletion at the same revision;</li>
 *   <li>a keep-alive stream through a follower keeps its lease alive past the TTL, and across
 *       {@code kill -9} of the leader (the new leader's lessor extends leases on promotion).</li>
 * </ul>
 */
class LeaseClusterIT {
    private static final Pattern GRANTED = Pattern.compile("^lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)$");
    private static final Pattern DELETE_EVENT = Pattern.compile("\\{\"type\":1,\"kv\":\\{\"key\":\"[^\"]*\",\"mod_revision\":(\\d+)");
    private static final Pattern PUT_REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final long TTL_SECONDS = 5;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final Members members = new Members();

    private List<MemberProcess> cluster;
    private MemberProcess leader;
    private List<MemberProcess> followers;

    private void startCluster() {
        cluster = members.startCluster(Executables.candidate(), 3);
        Await.until(STEP_TIMEOUT, "a leader", () -> ClusterRoles.leader(cluster).isPresent());
        leader = ClusterRoles.leader(cluster).orElseThrow();
        followers = ClusterRoles.followers(cluster, leader);
    }

    private static Command.Result ok(Command.Result result) {
        assertThat(result.ok()).as(result.toString()).isTrue();
        return result;
    }

    /** Grants a lease through {@code member}; returns its id in hex. */
    private static String grant(MemberProcess member, long ttlSeconds) {
        String out = ok(member.etcdctl().run("lease", "grant", Long.toString(ttlSeconds))).stdout().strip();
        Matcher granted = GRANTED.matcher(out);
        assertThat(granted.matches()).as(out).isTrue();
        assertThat(granted.group(2)).isEqualTo(Long.toString(ttlSeconds));
        return granted.group(1);
    }

    @Test
    void grantKeepAliveAndTimeToLiveThroughAFollowerAnswerAsOnTheLeader() {
        startCluster();
        MemberProcess follower = followers.get(0);
        String lease = grant(follower, 60);
        ok(follower.etcdctl().run("put", "--lease=" + lease, "foo", "bar"));

        for (MemberProcess member : List.of(follower, leader)) {
            assertThat(ok(member.etcdctl().run("lease", "keep-alive", "--once", lease)).stdout().strip())
                    .isEqualTo("lease " + lease + " keepalived with TTL(60)");
            String ttl = ok(member.etcdctl().run("lease", "timetolive", "--keys", lease)).stdout().strip();
            assertThat(ttl).matches("lease " + lease + " granted with TTL\\(60s\\), remaining\\((5[5-9]|60)s\\), attached keys\\(\\[foo\\]\\)");
        }
        String unknown = "1234abcd";
        assertThat(ok(follower.etcdctl().run("lease", "timetolive", unknown)).stdout().strip())
                .isEqualTo("lease " + unknown + " already expired");
        Command.Result keepUnknown = follower.etcdctl().run("lease", "keep-alive", "--once", unknown);
        assertThat(keepUnknown.ok()).isFalse();
        assertThat(keepUnknown.stderr()).contains("requested lease not found");
    }

    @Test
    void anExpiredLeaseDeletesItsKeyWithinTheTtlAtTheSameRevisionOnEveryMember() {
        startCluster();
        MemberProcess follower = followers.get(0);
        String lease = grant(follower, TTL_SECONDS);
        long grantedNanos = System.nanoTime();
        String put = ok(follower.etcdctl().run("put", "--lease=" + lease, "expiring", "v", "-w", "json")).stdout();
        Matcher putRevision = PUT_REVISION.matcher(put);
        assertThat(putRevision.find()).as(put).isTrue();
        long revision = Long.parseLong(putRevision.group(1));

        List<BackgroundEtcdctl> watches = new ArrayList<>();
        try {
            for (MemberProcess member : cluster) {
                watches.add(new BackgroundEtcdctl(member.clientEndpoint(), "watch", "--rev=" + revision, "expiring", "-w", "json"));
            }
            Duration deadline = Duration.ofSeconds(TTL_SECONDS + 1).minusNanos(System.nanoTime() - grantedNanos);
            Await.until(deadline, "the key is gone within TTL + 1 s of the grant",
                    () -> ok(follower.etcdctl().run("get", "expiring", "--keys-only")).stdout().isBlank());
            List<Long> deletions = new ArrayList<>();
            for (BackgroundEtcdctl watch : watches) {
                watch.awaitStdout(STEP_TIMEOUT, "the DELETE event", out -> DELETE_EVENT.matcher(out).find());
                Matcher delete = DELETE_EVENT.matcher(watch.stdout());
                assertThat(delete.find()).isTrue();
                deletions.add(Long.parseLong(delete.group(1)));
            }
            assertThat(deletions).hasSize(3).allSatisfy(rev -> assertThat(rev).isEqualTo(deletions.get(0)).isGreaterThan(revision));
        } finally {
            watches.forEach(BackgroundEtcdctl::close);
        }
    }

    @Test
    void aKeepAliveStreamThroughAFollowerKeepsTheLeaseAliveAcrossTheLeadersDeath() {
        startCluster();
        MemberProcess follower = followers.get(0);
        String lease = grant(follower, TTL_SECONDS);
        ok(follower.etcdctl().run("put", "--lease=" + lease, "kept", "alive"));
        try (BackgroundEtcdctl keepAlive = new BackgroundEtcdctl(follower.clientEndpoint(), "lease", "keep-alive", lease)) {
            keepAlive.awaitStdout(STEP_TIMEOUT, "a first renewal",
                    out -> out.contains("lease " + lease + " keepalived with TTL(5)"));
            awaitKeyKeptFor(Duration.ofSeconds(2 * TTL_SECONDS), follower);

            leader.kill();
            List<MemberProcess> survivors = followers;
            Await.until(ELECTION_TIMEOUT, "a new leader among the survivors",
                    () -> ClusterRoles.leader(survivors).isPresent());
            long renewalsBefore = renewals(keepAlive, lease);
            keepAlive.awaitStdout(STEP_TIMEOUT, "renewals through the follower after the new election",
                    out -> renewals(keepAlive, lease) > renewalsBefore);
            awaitKeyKeptFor(Duration.ofSeconds(2 * TTL_SECONDS), follower);
            for (MemberProcess survivor : survivors) {
                assertThat(ok(survivor.etcdctl().run("lease", "timetolive", lease)).stdout())
                        .matches("lease " + lease + " granted with TTL\\(5s\\), remaining\\([1-5]s\\)\\s*");
            }
            assertThat(keepAlive.isAlive()).as(keepAlive.stderr()).isTrue();
        }
    }

    /** Checks, as time goes by, that the key on the kept-alive lease is still there through {@code member}. */
    private static void awaitKeyKeptFor(Duration span, MemberProcess member) {
        long end = System.nanoTime() + span.toNanos();
        Await.until(span.plus(STEP_TIMEOUT), "the key outlives " + span + " of renewals", () -> {
            Optional<String> value = Optional.of(ok(member.etcdctl().run("get", "kept", "--print-value-only")).stdout().strip());
            assertThat(value).as("the kept-alive key is still there").contains("alive");
            return System.nanoTime() - end > 0;
        });
    }

    private static long renewals(BackgroundEtcdctl keepAlive, String lease) {
        return keepAlive.stdout().lines().filter(line -> line.equals("lease " + lease + " keepalived with TTL(5)")).count();
    }
}
