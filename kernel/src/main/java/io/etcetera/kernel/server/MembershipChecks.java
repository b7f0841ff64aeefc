package io.etcetera.kernel.server;

import io.etcetera.spi.error.EtcdError;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The checks etcd makes before it proposes a membership change, with its errors: the validation
 * of {@code api/membership/cluster.go ValidateConfigurationChange} and, with
 * {@code --strict-reconfig-check}, the quorum checks of {@code etcdserver/server.go}
 * ({@code mayAddMember}, {@code mayRemoveMember}, {@code mayPromoteMember}) over
 * {@code IsReadyToAddVotingMember}, {@code IsReadyToRemoveVotingMember} and
 * {@code IsReadyToPromoteMember}. A member is <em>started</em> once it published its name; a peer
 * is <em>active</em> while the transport holds a connection to it (etcd asks for one open since
 * {@code HealthInterval}, 5 s, ago; we ask for one open now).
 *
 * <p>Each check throws the {@link io.etcetera.spi.error.EtcdException} etcd's gRPC layer answers
 * ({@code v3rpc/util.go}: an id removed or unknown is {@link EtcdError#MEMBER_NOT_FOUND}).
 * Stateless and thread-safe.
 *
 * @param localId this member's id (always counted as active)
 * @param strict {@code --strict-reconfig-check}
 * @param active whether the transport is connected to a peer
 */
record MembershipChecks(long localId, boolean strict, LongPredicate active) {

    /** etcd's {@code maxLearners}: at most one learner in the cluster. */
    static final int MAX_LEARNERS = 1;
    /** etcd's {@code readyPercent}: a learner may be promoted once its match is 90% of the leader's. */
    static final double LEARNER_READY_PERCENT = 0.9;

    /** {@code member add} of {@code member} (learner or voter). */
    void checkAdd(Membership.Members members, ClusterMember member) {
        if (strict && !member.isLearner()) {
            if (!isReadyToAddVotingMember(members)) {
                throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
            }
            for (ClusterMember voter : members.voters()) {
                if (voter.id() != localId && !active.test(voter.id())) {
                    throw EtcdError.UNHEALTHY.exception();
                }
            }
        }
        if (members.removed().contains(member.id())) {
            throw EtcdError.MEMBER_NOT_FOUND.exception();
        }
        if (members.member(member.id()).isPresent()) {
            throw EtcdError.MEMBER_EXIST.exception();
        }
        checkPeerUrlsFree(members, member.id(), member.peerUrls());
        if (member.isLearner()) {
            long learners = members.byId().values().stream().filter(ClusterMember::isLearner).count();
            if (learners + 1 > MAX_LEARNERS) {
                throw EtcdError.TOO_MANY_LEARNERS.exception();
            }
        }
    }

    /** {@code member remove} of {@code id}. */
    void checkRemove(Membership.Members members, long id) {
        boolean learner = members.member(id).map(ClusterMember::isLearner).orElse(false);
        if (strict && !learner) {
            if (!isReadyToRemoveVotingMember(members, id)) {
                throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
            }
            // A member that is down is no part of the active quorum: removing it is safe.
            if (id == localId || active.test(id)) {
                List<ClusterMember> voters = members.voters();
                long activeVoters = voters.stream().filter(m -> m.id() == localId || active.test(m.id())).count();
                if (activeVoters - 1 < 1 + (voters.size() - 1) / 2) {
                    throw EtcdError.UNHEALTHY.exception();
                }
            }
        }
        checkKnown(members, id);
    }

    /** {@code member update} of {@code id} to {@code peerUrls}. */
    void checkUpdate(Membership.Members members, long id, List<URI> peerUrls) {
        checkKnown(members, id);
        checkPeerUrlsFree(members, id, peerUrls);
    }

    /**
     * {@code member promote} of {@code id}, on the leader, whose own match index is
     * {@code leaderMatch} and the learner's {@code learnerMatch} (-1 when the leader tracks no
     * such member).
     */
    void checkPromote(Membership.Members members, long id, long leaderMatch, long learnerMatch) {
        if (learnerMatch >= 0 && learnerMatch < leaderMatch * LEARNER_READY_PERCENT) {
            throw EtcdError.LEARNER_NOT_READY.exception();
        }
        if (strict && !isReadyToPromoteMember(members)) {
            throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
        }
        checkKnown(members, id);
        if (!members.member(id).orElseThrow().isLearner()) {
            throw EtcdError.MEMBER_NOT_LEARNER.exception();
        }
    }

    private static void checkKnown(Membership.Members members, long id) {
        if (members.removed().contains(id) || members.member(id).isEmpty()) {
            throw EtcdError.MEMBER_NOT_FOUND.exception();
        }
    }

    private static void checkPeerUrlsFree(Membership.Members members, long id, List<URI> peerUrls) {
        Set<URI> taken = new HashSet<>();
        for (ClusterMember other : members.byId().values()) {
            if (other.id() != id) {
                taken.addAll(other.peerUrls());
            }
        }
        for (URI url : peerUrls) {
            if (taken.contains(url)) {
                throw EtcdError.PEERURL_EXIST.exception();
            }
        }
    }

    /** etcd's {@code IsReadyToAddVotingMember}: the started voters stay a quorum of one more. */
    private static boolean isReadyToAddVotingMember(Membership.Members members) {
        List<ClusterMember> voters = members.voters();
        int total = voters.size() + 1;
        long started = voters.stream().filter(ClusterMember::isStarted).count();
        if (started == 1 && total == 2) {
            return true; // adding a member to a one-member cluster (restoring a cluster)
        }
        return started >= total / 2 + 1;
    }

    /** etcd's {@code IsReadyToRemoveVotingMember}: the other started voters stay a quorum. */
    private static boolean isReadyToRemoveVotingMember(Membership.Members members, long id) {
        List<ClusterMember> others = members.voters().stream().filter(m -> m.id() != id).toList();
        long started = others.stream().filter(ClusterMember::isStarted).count();
        return started >= others.size() / 2 + 1;
    }

    /** etcd's {@code IsReadyToPromoteMember}: counting the learner as a started voter. */
    private static boolean isReadyToPromoteMember(Membership.Members members) {
        List<ClusterMember> voters = members.voters();
        int total = voters.size() + 1;
        long started = voters.stream().filter(ClusterMember::isStarted).count() + 1;
        return started >= total / 2 + 1;
    }
}
