package io.etcetera.dist.it;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link EtcdctlDifferentialIT}'s script against two static three-member clusters: real etcd
 * 3.4.23 and etcetera, each {@code m1..m3} started fresh, compared the same way
 * ({@link EtcdctlDifferential}).
 *
 * <p>Where the steps go: those on script lines before {@value #FOLLOWER_FROM_LINE} go to all
 * three endpoints ({@code --endpoints=a,b,c}; etcdctl 3.4's balancer spreads requests over
 * them, so writes and linearizable reads land on followers and the leader alike); later ones go
 * to one member that was a follower when the cluster started (the serializable read near the
 * end then reads the member its preceding writes were applied on). {@code !restart} stops all
 * three members (SIGTERM) and starts them together.
 *
 * <p>Normalised besides ids: the Raft term in response headers ({@code "raft_term":N},
 * {@code "RaftTerm" : N}). A single member's term is fixed by its elections; a cluster's depends
 * on election timing (a split vote costs a term), in etcd as in etcetera.
 */
class EtcdctlClusterDifferentialIT {

    /** First script line whose step goes to a single follower rather than to every endpoint. */
    static final int FOLLOWER_FROM_LINE = 250;

    private static final Pattern JSON_TERM = Pattern.compile("\"raft_term\":\\d+");
    private static final Pattern FIELDS_TERM = Pattern.compile("\"RaftTerm\" : \\d+");

    @RegisterExtension
    final Members members = new Members();

    @Test
    void aThreeMemberEtceteraClusterAnswersEveryEtcdctlStepLikeAThreeMemberEtcdCluster() {
        EtcdctlDifferential.assertSameAnswers(EtcdctlScript.load(EtcdctlDifferentialIT.SCRIPT),
                new Cluster(members.startCluster(MemberProcess.Kind.ETCD, 3)),
                new Cluster(members.startCluster(Executables.candidate(), 3)),
                "etcdctl-cluster-differential", EtcdctlClusterDifferentialIT::normalise);
    }

    private static Command.Result normalise(Command.Result result) {
        Command.Result withoutIds = EtcdctlOutput.normalise(result);
        return new Command.Result(withoutIds.exitCode(), withoutTerms(withoutIds.stdout()),
                withoutTerms(withoutIds.stderr()));
    }

    private static String withoutTerms(String text) {
        String result = JSON_TERM.matcher(text).replaceAll("\"raft_term\":<term>");
        return FIELDS_TERM.matcher(result).replaceAll("\"RaftTerm\" : <term>");
    }

    /** Three members: steps to all endpoints, then to a follower; {@code !restart} restarts all. */
    private final class Cluster implements EtcdctlDifferential.Deployment {
        private List<MemberProcess> cluster;
        private final int follower;

        Cluster(List<MemberProcess> cluster) {
            this.cluster = cluster;
            String leader = EndpointStatus.of(new Etcdctl(Replicas.endpoints(cluster))).stream()
                    .filter(EndpointStatus::leader).map(EndpointStatus::endpoint).findFirst()
                    .orElseThrow(() -> new AssertionError("no leader among " + Replicas.endpoints(cluster)));
            this.follower = cluster.get(0).clientEndpoint().equals(leader) ? 1 : 0;
        }

        @Override
        public Etcdctl etcdctlFor(EtcdctlScript.Invocation step) {
            return step.line() < FOLLOWER_FROM_LINE
                    ? new Etcdctl(Replicas.endpoints(cluster))
                    : cluster.get(follower).etcdctl();
        }

        @Override
        public void restart() {
            cluster.forEach(MemberProcess::close);
            cluster = members.restartAll(cluster);
        }
    }
}
