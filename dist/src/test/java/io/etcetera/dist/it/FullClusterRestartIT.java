package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A static three-member cluster of OS processes stopped and started again as a whole: after a
 * graceful stop of every member (SIGTERM) and after {@code kill -9} of every member in the middle
 * of a stream of writes. Each member recovers from its own WAL and backend (etcd's
 * {@code etcdserver/raft.go} restart path: hard state, log above the snapshot, consistent index),
 * the three elect a leader among themselves, and every acknowledged write is on every member
 * with the same revisions — a write acknowledged to a client was committed by a quorum, and a
 * quorum's WALs were fsynced before it.
 */
class FullClusterRestartIT {

    /** Longest wait for the three restarted members to hold the same data. */
    private static final Duration AGREEMENT_DEADLINE = Duration.ofSeconds(30);
    /** Acknowledged puts the background writer must reach before every member is killed. */
    private static final int ACKNOWLEDGED_BEFORE_CRASH = 30;
    /** Longest wait for the writer's acknowledged puts, and for it to stop after the crash. */
    private static final Duration WRITER_DEADLINE = Duration.ofSeconds(40);
    /** TTL of the test's lease, long enough to outlive both restarts. */
    private static final int LEASE_TTL_SECONDS = 600;
    private static final Pattern LEASE_GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL");
    private static final Pattern RAFT_TERM = Pattern.compile("\"raft_term\":\\d+");
    private static final Pattern HEADER_REVISION = Pattern.compile("\"revision\":(\\d+)");

    @RegisterExtension
    final Members members = new Members();

    @Test
    void everyAcknowledgedWriteSurvivesAGracefulStopAndAKillOfEveryMember() {
        List<MemberProcess> cluster = members.startCluster(Executables.candidate(), 3);
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            put(cluster.get(i % 3).etcdctl(), "key-" + i, "v" + i);
            acknowledged.put("key-" + i, "v" + i);
        }
        String lease = grantLease(cluster.get(1).etcdctl());
        put(cluster.get(1).etcdctl(), "leased", "with lease", "--lease=" + lease);
        acknowledged.put("leased", "with lease");
        long compactedRevision = revisionOf(put(cluster.get(2).etcdctl(), "compacted", "old", "-w", "json"));
        put(cluster.get(0).etcdctl(), "compacted", "new");
        acknowledged.put("compacted", "new");
        Command.Result compact = cluster.get(0).etcdctl().run("compact", Long.toString(compactedRevision));
        assertThat(compact.ok()).as(compact.toString()).isTrue();
        String before = Replicas.awaitIdentical(cluster, AGREEMENT_DEADLINE);

        cluster.forEach(MemberProcess::close);
        cluster = members.restartAll(cluster);

        // The restart elects a leader in a new term; revisions and key-values must not change.
        assertThat(withoutTerm(Replicas.awaitIdentical(cluster, AGREEMENT_DEADLINE)))
                .as("the data after a graceful restart of every member").isEqualTo(withoutTerm(before));
        assertHoldsEverywhere(cluster, acknowledged);
        for (MemberProcess member : cluster) {
            Command.Result old = member.etcdctl().run("get", "compacted", "--rev", Long.toString(compactedRevision - 1));
            assertThat(old.exitCode()).as(old.toString()).isEqualTo(1);
            assertThat(old.stderr()).contains("etcdserver: mvcc: required revision has been compacted");
            Command.Result timeToLive = member.etcdctl().run("lease", "timetolive", lease, "--keys");
            assertThat(timeToLive.ok()).as(timeToLive.toString()).isTrue();
            assertThat(timeToLive.stdout()).contains("lease " + lease + " granted with TTL(" + LEASE_TTL_SECONDS + "s)")
                    .contains("attached keys([leased])");
        }

        Queue<String> acknowledgedBeforeCrash = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Etcdctl all = new Etcdctl(Replicas.endpoints(cluster));
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                if (all.run("put", "crash-" + i, "v" + i).ok()) {
                    acknowledgedBeforeCrash.add("crash-" + i);
                }
            }
        }, "crash-writer");
        writer.start();
        try {
            Await.until(WRITER_DEADLINE, ACKNOWLEDGED_BEFORE_CRASH + " acknowledged puts",
                    () -> acknowledgedBeforeCrash.size() >= ACKNOWLEDGED_BEFORE_CRASH);
            cluster.forEach(MemberProcess::kill);
        } finally {
            writing.set(false);
        }
        Await.until(WRITER_DEADLINE, "the writer stops", () -> !writer.isAlive());
        acknowledgedBeforeCrash.forEach(key -> acknowledged.put(key, "v" + key.substring("crash-".length())));

        cluster = members.restartAll(cluster);

        Replicas.awaitIdentical(cluster, AGREEMENT_DEADLINE);
        assertHoldsEverywhere(cluster, acknowledged);
    }

    /** Every member's own copy (serializable read) has every acknowledged key with its value. */
    private static void assertHoldsEverywhere(List<MemberProcess> cluster, Map<String, String> acknowledged) {
        for (MemberProcess member : cluster) {
            assertThat(Replicas.pairs(member)).as("keys of %s", member.clientEndpoint())
                    .containsAllEntriesOf(acknowledged);
        }
    }

    private static Command.Result put(Etcdctl etcdctl, String key, String value, String... flags) {
        List<String> args = new ArrayList<>(List.of("put", key, value));
        args.addAll(List.of(flags));
        Command.Result put = etcdctl.run(args, "");
        assertThat(put.ok()).as(put.toString()).isTrue();
        return put;
    }

    /** Grants a lease of {@value #LEASE_TTL_SECONDS} s; returns its id in hex, as etcdctl prints it. */
    private static String grantLease(Etcdctl etcdctl) {
        Command.Result grant = etcdctl.run("lease", "grant", Integer.toString(LEASE_TTL_SECONDS));
        Matcher id = LEASE_GRANTED.matcher(grant.stdout());
        assertThat(id.find()).as(grant.toString()).isTrue();
        return id.group(1);
    }

    /** A {@code -w json} response with the header's raft term left out. */
    private static String withoutTerm(String json) {
        return RAFT_TERM.matcher(json).replaceAll("\"raft_term\":<term>");
    }

    /** The header revision of a {@code -w json} response. */
    private static long revisionOf(Command.Result json) {
        Matcher revision = HEADER_REVISION.matcher(json.stdout());
        assertThat(revision.find()).as(json.toString()).isTrue();
        return Long.parseLong(revision.group(1));
    }
}
