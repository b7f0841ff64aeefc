package io.etcetera.dist.it;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which member of a cluster leads, as each member reports it in {@code etcdctl endpoint status
 * -w json} ({@code Status.leader} against {@code Status.header.member_id}).
 *
 * <p>Thread-safety: stateless.
 */
final class ClusterRoles {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\":(\\d+)");

    private ClusterRoles() {
    }

    /** The member that reports itself leader, if one answers so now. */
    static Optional<MemberProcess> leader(List<MemberProcess> cluster) {
        for (MemberProcess member : cluster) {
            Command.Result status = member.etcdctl().run("endpoint", "status", "-w", "json");
            if (!status.ok()) {
                continue;
            }
            Matcher id = MEMBER_ID.matcher(status.stdout());
            Matcher leader = LEADER.matcher(status.stdout());
            if (id.find() && leader.find() && id.group(1).equals(leader.group(1))) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /** The members other than {@code leader}, in cluster order. */
    static List<MemberProcess> followers(List<MemberProcess> cluster, MemberProcess leader) {
        return cluster.stream().filter(member -> member != leader).toList();
    }
}
