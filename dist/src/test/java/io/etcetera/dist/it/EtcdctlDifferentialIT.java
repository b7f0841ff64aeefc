package io.etcetera.dist.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs one scripted etcdctl session against real etcd 3.4.23 and against etcetera, each a single
 * member started fresh, and compares exit code, stdout and stderr step by step after
 * {@link EtcdctlOutput#normalise(String) normalising} ids only ({@link EtcdctlDifferential}).
 *
 * <p>The script is {@code it/etcdctl-differential.script}: puts, gets with every range and sort
 * option, deletes, transactions from standard input, compaction and etcd's error cases.
 * {@link EtcdctlClusterDifferentialIT} runs the same script against two three-member clusters.
 *
 * <p>With {@code -Detcetera.it.reference-only=true} both members are real etcd, which checks that
 * the script is deterministic and the normalisation sufficient.
 */
class EtcdctlDifferentialIT {

    /** The script both differential tests run. */
    static final String SCRIPT = "it/etcdctl-differential.script";

    @RegisterExtension
    final Members members = new Members();

    @Test
    void etceteraAnswersEveryEtcdctlStepLikeEtcd() {
        EtcdctlDifferential.assertSameAnswers(EtcdctlScript.load(SCRIPT),
                new SingleMember(members.start(MemberProcess.Kind.ETCD)),
                new SingleMember(members.start(Executables.candidate())),
                "etcdctl-differential", EtcdctlOutput::normalise);
    }

    /** One member: every step goes to it; {@code !restart} stops and starts it. */
    private final class SingleMember implements EtcdctlDifferential.Deployment {
        private MemberProcess member;

        SingleMember(MemberProcess member) {
            this.member = member;
        }

        @Override
        public Etcdctl etcdctlFor(EtcdctlScript.Invocation step) {
            return member.etcdctl();
        }

        @Override
        public void restart() {
            member.close();
            member = members.restart(member);
        }
    }
}
