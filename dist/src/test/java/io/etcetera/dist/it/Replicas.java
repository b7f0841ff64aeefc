package io.etcetera.dist.it;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads that compare the members of one cluster: each member's own copy of the keyspace, read
 * with {@code --consistency=s} (a serializable read answers from the member's applied state
 * without asking the leader, so it shows what that member itself holds).
 *
 * <p>Thread-safety: stateless.
 */
final class Replicas {

    private Replicas() {
    }

    /** {@code 127.0.0.1:a,127.0.0.1:b,...}, etcdctl's {@code --endpoints} for all of {@code members}. */
    static String endpoints(List<MemberProcess> members) {
        return members.stream().map(MemberProcess::clientEndpoint).collect(Collectors.joining(","));
    }

    /**
     * {@code etcdctl get "" --prefix -w json --consistency=s} on {@code member}, with the member
     * and cluster ids normalised ({@link EtcdctlOutput#normalise(String)}): the header's revision
     * and raft term and every key-value with its create and mod revisions, version and lease.
     *
     * @throws AssertionError if the read fails
     */
    static String dump(MemberProcess member) {
        Command.Result get = member.etcdctl().run("get", "", "--prefix", "-w", "json", "--consistency=s");
        if (!get.ok()) {
            throw new AssertionError("serializable read of " + member.clientEndpoint() + " failed: " + get);
        }
        return EtcdctlOutput.normalise(get.stdout());
    }

    /** {@code etcdctl get "" --prefix --consistency=s} on {@code member}, as key → value. */
    static Map<String, String> pairs(MemberProcess member) {
        Command.Result get = member.etcdctl().run("get", "", "--prefix", "--consistency=s");
        if (!get.ok()) {
            throw new AssertionError("serializable read of " + member.clientEndpoint() + " failed: " + get);
        }
        return pairs(get.stdout());
    }

    /** {@code etcdctl get} output in the simple format (key line, value line, ...) as a map. */
    static Map<String, String> pairs(String stdout) {
        List<String> lines = stdout.lines().toList();
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            pairs.put(lines.get(i), lines.get(i + 1));
        }
        return pairs;
    }

    /**
     * Waits until every member's {@link #dump} is the same (same revision, term and key-values)
     * and returns it.
     *
     * @throws AssertionError naming each member's last dump if they still differ after {@code timeout}
     */
    static String awaitIdentical(List<MemberProcess> members, Duration timeout) {
        String[] last = new String[1];
        try {
            Await.until(timeout, "every member holds the same data", () -> {
                List<String> dumps = members.stream().map(Replicas::dump).toList();
                last[0] = String.join("\n", dumps);
                return dumps.stream().distinct().count() == 1;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last reads, one line per member:\n" + last[0], e);
        }
        return dump(members.get(0));
    }
}
