package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real {@code etcdctl watch} against etcetera and, differentially, against real etcd 3.4.23:
 * the same session runs on both members, each started fresh, and every step's output must be
 * equal to etcd's and to the output written here (etcdctl's simple format: the event type, then
 * key and value lines, the previous key-value first with {@code --prev-kv}).
 *
 * <p>Steps: history watches on a key, a prefix and with {@code --prev-kv} from {@code --rev};
 * a live watch from the next revision; the interactive {@code watch -i} fed commands on standard
 * input, ending at end of input (etcdctl exits 3); and a watch from a compacted revision, which
 * etcd cancels (etcdctl exits 5). Watches never end by themselves: each runs until its expected
 * output has arrived (or a deadline passes) and is then stopped.
 */
class WatchEtcdctlIT {

    /** Longest wait for one watch's output. */
    private static final Duration WATCH_DEADLINE = Duration.ofSeconds(15);

    @RegisterExtension
    final Members members = new Members();

    /** One step's observable result. */
    private record Step(String name, String stdout, String stderr, Integer exitCode) { }

    private static final String HISTORY_OF_A = "PUT\na\n1\nPUT\na\n3\nDELETE\na\n\n";
    private static final String HISTORY_OF_PREFIX_A = HISTORY_OF_A + "PUT\nab\n4\n";
    private static final String HISTORY_OF_A_WITH_PREV = "PUT\na\n1\na\n3\nDELETE\na\n3\na\n\n";
    private static final String LIVE_C = "PUT\nc\n5\n";
    private static final String INTERACTIVE = "PUT\nb\n2\nPUT\nab\n4\nPUT\nc\n5\n";

    /** Runs the whole session on {@code member}; returns its steps. */
    private static List<Step> session(MemberProcess member) {
        Etcdctl etcdctl = member.etcdctl();
        String endpoint = member.clientEndpoint();
        for (String[] write : new String[][] {{"put", "a", "1"}, {"put", "b", "2"}, {"put", "a", "3"}, {"del", "a"},
                {"put", "ab", "4"}}) {
            assertThat(etcdctl.run(write).ok()).isTrue();
        }
        List<Step> steps = new ArrayList<>();
        steps.add(watchUntil(endpoint, "key from revision 2", HISTORY_OF_A, "watch", "--rev=2", "a"));
        steps.add(watchUntil(endpoint, "prefix from revision 1", HISTORY_OF_PREFIX_A, "watch", "--rev=1", "--prefix", "a"));
        steps.add(watchUntil(endpoint, "prev-kv from revision 3", HISTORY_OF_A_WITH_PREV,
                "watch", "--rev=3", "--prev-kv", "a"));
        try (BackgroundEtcdctl live = new BackgroundEtcdctl(endpoint, "watch", "--rev=7", "c")) {
            assertThat(etcdctl.run("put", "c", "5").ok()).isTrue();
            awaitOutput(live, LIVE_C);
            steps.add(new Step("live watch from the next revision", live.stdout(), live.stderr(), null));
        }
        try (BackgroundEtcdctl interactive = BackgroundEtcdctl.interactive(endpoint, "watch", "-i")) {
            interactive.type("watch --rev=2 b");
            awaitOutput(interactive, "PUT\nb\n2\n");
            interactive.type("watch --rev=6 --prefix ab");
            awaitOutput(interactive, "PUT\nb\n2\nPUT\nab\n4\n");
            interactive.type("watch --rev=7 c");
            awaitOutput(interactive, INTERACTIVE);
            int exit = interactive.endInput();
            steps.add(new Step("interactive watch -i", interactive.stdout(), interactive.stderr(), exit));
        }
        assertThat(etcdctl.run("compact", "5").ok()).isTrue();
        try (BackgroundEtcdctl compacted = new BackgroundEtcdctl(endpoint, "watch", "--rev=2", "a")) {
            int exit = compacted.awaitExit();
            steps.add(new Step("watch from a compacted revision", compacted.stdout(), compacted.stderr(), exit));
        }
        return steps;
    }

    private static Step watchUntil(String endpoint, String name, String expected, String... args) {
        try (BackgroundEtcdctl watch = new BackgroundEtcdctl(endpoint, args)) {
            awaitOutput(watch, expected);
            return new Step(name, watch.stdout(), watch.stderr(), null);
        }
    }

    /**
     * Waits until the watch has printed as much as {@code expected} (what it printed is compared
     * afterwards, against etcd's session and the expected text).
     */
    private static void awaitOutput(BackgroundEtcdctl watch, String expected) {
        watch.awaitStdout(WATCH_DEADLINE, "watch output as long as " + expected.replace("\n", "\\n"),
                stdout -> stdout.length() >= expected.length());
    }

    @Test
    void etcdctlWatchPrintsWhatEtcdPrints() {
        MemberProcess etcd = members.start(MemberProcess.Kind.ETCD);
        List<Step> expected = session(etcd);
        MemberProcess candidate = members.start(Executables.candidate());
        List<Step> actual = session(candidate);

        assertThat(actual).as("etcetera's steps (actual) against etcd's (expected)").isEqualTo(expected);
        assertThat(actual.get(0).stdout()).isEqualTo(HISTORY_OF_A);
        assertThat(actual.get(1).stdout()).isEqualTo(HISTORY_OF_PREFIX_A);
        assertThat(actual.get(2).stdout()).isEqualTo(HISTORY_OF_A_WITH_PREV);
        assertThat(actual.get(3).stdout()).isEqualTo(LIVE_C);
        assertThat(actual.get(4).stdout()).isEqualTo(INTERACTIVE);
        assertThat(actual.get(4).exitCode()).isEqualTo(3);
        assertThat(actual.get(4).stderr()).isEqualTo("Error: Error reading watch request line: EOF\n");
        assertThat(actual.get(5).exitCode()).isEqualTo(5);
        assertThat(actual.get(5).stderr()).isEqualTo(
                "watch was canceled (etcdserver: mvcc: required revision has been compacted)\n"
                        + "Error: watch is canceled by the server\n");
    }
}
