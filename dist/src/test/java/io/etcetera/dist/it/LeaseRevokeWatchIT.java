package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4's service-registration story with real etcdctl only: keys put with {@code --lease}
 * are deleted when the lease is revoked, in one revision, and a running {@code etcdctl watch
 * --prefix} prints those deletions. The same script runs against real etcd 3.4.23 and etcetera,
 * and the watcher's output must be identical (no ids appear in it).
 */
class LeaseRevokeWatchIT {

    private static final Pattern GRANTED = Pattern.compile("^lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)$");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Command.Result OK = new Command.Result(0, "OK\n", "");
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(20);

    /** What the watcher prints: two PUTs of the registration, then both DELETEs from the revoke. */
    private static final String EXPECTED_WATCH = String.join("\n",
            "PUT", "services/api/a", "addr-a",
            "PUT", "services/api/b", "addr-b",
            "DELETE", "services/api/a", "",
            "DELETE", "services/api/b", "", "");

    @RegisterExtension
    final Members members = new Members();

    @Test
    void revokingALeaseDeletesItsKeysAndTheWatcherSeesIt() {
        String fromEtcd = registerAndRevoke(members.start(MemberProcess.Kind.ETCD));
        String fromCandidate = registerAndRevoke(members.start(Executables.candidate()));

        assertThat(fromEtcd).as("real etcd's watch output").isEqualTo(EXPECTED_WATCH);
        assertThat(fromCandidate).as("watch output against " + Executables.candidate()).isEqualTo(fromEtcd);
    }

    /** Registers two keys on a lease, revokes it, and returns what {@code etcdctl watch} printed. */
    private static String registerAndRevoke(MemberProcess member) {
        Etcdctl etcdctl = member.etcdctl();
        Command.Result grant = etcdctl.run("lease", "grant", "60");
        Matcher granted = GRANTED.matcher(grant.stdout().strip());
        assertThat(granted.matches()).as("%s", grant).isTrue();
        String lease = granted.group(1);
        Command.Result first = etcdctl.run("put", "--lease=" + lease, "services/api/a", "addr-a", "-w", "json");
        assertThat(first.exitCode()).as("%s", first).isZero();
        Matcher revision = REVISION.matcher(first.stdout());
        assertThat(revision.find()).as("%s", first).isTrue();
        assertThat(etcdctl.run("put", "--lease=" + lease, "services/api/b", "addr-b")).isEqualTo(OK);

        // Watching from the first registration's revision replays history, so the watcher cannot
        // miss an event however long it takes to connect.
        try (BackgroundEtcdctl watch = new BackgroundEtcdctl(etcdctl.endpoint(),
                "watch", "--prefix", "services/", "--rev=" + revision.group(1))) {
            watch.awaitStdout(EVENT_TIMEOUT, "the two registrations", out -> out.contains("addr-b"));

            Command.Result revoke = etcdctl.run("lease", "revoke", lease);
            assertThat(revoke).isEqualTo(new Command.Result(0, "lease " + lease + " revoked\n", ""));
            assertThat(etcdctl.run("get", "--prefix", "services/").stdout()).as("keys left after revoke").isEmpty();
            watch.awaitStdout(EVENT_TIMEOUT, "both deletions", out -> out.equals(EXPECTED_WATCH));
            return watch.stdout();
        }
    }
}
