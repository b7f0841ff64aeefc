/**
 * End-to-end tests: real clients (etcdctl 3.4.23, jetcd) against the jlink image, compared with
 * real etcd 3.4.23.
 *
 * <p>Run by failsafe after {@code package} builds the image at {@code dist/target/etcetera}:
 * <pre>
 * mvn -B -o -pl dist -am verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false [-Dit.test=EtcdctlDifferentialIT]
 * </pre>
 * System properties: {@code etcetera.image} (image dir, default {@code target/etcetera});
 * {@code etcetera.it.reference-only=true} makes the candidate member real etcd as well, to check
 * the harness and the scripts against etcd alone (ImageIT still needs the image).
 *
 * <p>Harness: {@link io.etcetera.dist.it.Members} (JUnit extension that starts and always reaps
 * member processes, attaching their logs to failures), {@link io.etcetera.dist.it.MemberProcess}
 * (one member on free 127.0.0.1 ports, readiness by TCP connect plus {@code etcdctl get}, SIGTERM
 * then SIGKILL, {@code kill -9}), {@link io.etcetera.dist.it.Etcdctl} and
 * {@link io.etcetera.dist.it.Command} (bounded runs of short-lived programs),
 * {@link io.etcetera.dist.it.Await} (the only wait: a condition polled until a deadline),
 * {@link io.etcetera.dist.it.BackgroundEtcdctl} (a long-running etcdctl such as {@code watch},
 * {@code lock}, {@code watch -i} with a stdin pipe). For clusters:
 * {@link io.etcetera.dist.it.MemberProcess#startCluster} and {@code restartAll},
 * {@link io.etcetera.dist.it.PeerNetwork} / {@link io.etcetera.dist.it.PeerProxy} (peer traffic
 * through test proxies, to partition members), {@link io.etcetera.dist.it.EndpointStatus} and
 * {@link io.etcetera.dist.it.Replicas} (each member's own view, compared across members).
 *
 * <p>The differential tests ({@link io.etcetera.dist.it.EtcdctlDifferential}) write etcd's
 * transcript and the mismatches to {@code dist/target/it-reports/etcdctl-differential/} and
 * {@code dist/target/it-reports/etcdctl-cluster-differential/}.
 */
package io.etcetera.dist.it;
