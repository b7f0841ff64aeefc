package io.etcetera.dist.it;

import java.util.regex.Pattern;

/**
 * Normalises etcdctl output so two runs against different clusters compare equal exactly when
 * the servers behaved the same.
 *
 * <p>Only values that legitimately differ between two fresh clusters are rewritten:
 * <ul>
 *   <li>cluster and member ids ({@code "cluster_id":N}, {@code "member_id":N} in {@code -w json};
 *       {@code "ClusterID" : N}, {@code "MemberID" : N} in {@code -w fields}); they are random per
 *       cluster in etcd;</li>
 *   <li>in the client's own zap warnings on stderr ({@code clientv3/retry_interceptor.go}), the
 *       timestamp and the balancer target, which holds a random client uuid and the port.</li>
 * </ul>
 * Revisions, raft terms, versions, gRPC codes and messages are kept: a difference there is a
 * difference in the server. Thread-safety: stateless.
 */
final class EtcdctlOutput {

    private static final Pattern JSON_IDS = Pattern.compile("\"(cluster_id|member_id)\":\\d+");
    private static final Pattern FIELDS_IDS = Pattern.compile("\"(ClusterID|MemberID)\" : \\d+");
    private static final Pattern CLIENT_LOG_TS = Pattern.compile("\"ts\":\"[^\"]*\"");
    private static final Pattern CLIENT_LOG_TARGET = Pattern.compile("\"target\":\"endpoint://client-[^\"]*\"");

    private EtcdctlOutput() {
    }

    /** Returns {@code text} with ids, client timestamps and balancer targets replaced by placeholders. */
    static String normalise(String text) {
        String result = JSON_IDS.matcher(text).replaceAll("\"$1\":<id>");
        result = FIELDS_IDS.matcher(result).replaceAll("\"$1\" : <id>");
        result = CLIENT_LOG_TS.matcher(result).replaceAll("\"ts\":\"<ts>\"");
        return CLIENT_LOG_TARGET.matcher(result).replaceAll("\"target\":\"<client target>\"");
    }

    /** {@code result} with both streams normalised. */
    static Command.Result normalise(Command.Result result) {
        return new Command.Result(result.exitCode(), normalise(result.stdout()), normalise(result.stderr()));
    }
}
