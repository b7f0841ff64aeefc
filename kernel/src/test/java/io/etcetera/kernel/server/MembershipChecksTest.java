package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** etcd's membership checks and quorum rules, on membership values (no cluster). */
class MembershipChecksTest {

    private static final ClusterMember M1 = member(1, "m1", false);
    private static final ClusterMember M2 = member(2, "m2", false);
    private static final ClusterMember M3 = member(3, "m3", false);

    @Test
    void addRefusesRemovedExistingTakenUrlsAndASecondLearner() {
        MembershipChecks checks = new MembershipChecks(1, true, id -> true);
        Membership.Members members = new Membership.Members(Map.of(1L, M1, 2L, M2, 3L, M3), Set.of(9L));

        expect(() -> checks.checkAdd(members, member(9, "", false)), EtcdError.MEMBER_NOT_FOUND);
        expect(() -> checks.checkAdd(members, member(2, "", false)), EtcdError.MEMBER_EXIST);
        expect(() -> checks.checkAdd(members, new ClusterMember(4, "", M3.peerUrls(), List.of(), false)),
                EtcdError.PEERURL_EXIST);
        Membership.Members withLearner = members.with(member(4, "", true));
        expect(() -> checks.checkAdd(withLearner, member(5, "", true)), EtcdError.TOO_MANY_LEARNERS);
        assertThatCode(() -> checks.checkAdd(members, member(5, "", true))).doesNotThrowAnyException();
    }

    @Test
    void strictAddNeedsAStartedQuorumAndEveryVoterConnected() {
        Membership.Members twoUnstarted = new Membership.Members(
                Map.of(1L, M1, 2L, member(2, "", false), 3L, member(3, "", false)), Set.of());
        expect(() -> new MembershipChecks(1, true, id -> true).checkAdd(twoUnstarted, member(4, "", false)),
                EtcdError.MEMBER_NOT_ENOUGH_STARTED);
        // learners need no quorum check; without strict checks nothing is refused
        assertThatCode(() -> new MembershipChecks(1, true, id -> true).checkAdd(twoUnstarted, member(4, "", true)))
                .doesNotThrowAnyException();
        assertThatCode(() -> new MembershipChecks(1, false, id -> false).checkAdd(twoUnstarted, member(4, "", false)))
                .doesNotThrowAnyException();

        Membership.Members started = new Membership.Members(Map.of(1L, M1, 2L, M2, 3L, M3), Set.of());
        expect(() -> new MembershipChecks(1, true, id -> id != 3).checkAdd(started, member(4, "", false)),
                EtcdError.UNHEALTHY);
        // adding to a one-member cluster is allowed (etcd's restore case)
        assertThatCode(() -> new MembershipChecks(1, true, id -> false)
                .checkAdd(new Membership.Members(Map.of(1L, M1), Set.of()), member(4, "", false)))
                .doesNotThrowAnyException();
    }

    @Test
    void strictRemoveKeepsTheActiveQuorum() {
        Membership.Members started = new Membership.Members(Map.of(1L, M1, 2L, M2, 3L, M3), Set.of());
        // m3 down: removing m2 (connected) would leave one active voter of two
        expect(() -> new MembershipChecks(1, true, id -> id == 2).checkRemove(started, 2), EtcdError.UNHEALTHY);
        // removing the member that is down is safe
        assertThatCode(() -> new MembershipChecks(1, true, id -> id == 2).checkRemove(started, 3))
                .doesNotThrowAnyException();
        Membership.Members unstarted = new Membership.Members(
                Map.of(1L, M1, 2L, member(2, "", false), 3L, member(3, "", false)), Set.of());
        expect(() -> new MembershipChecks(1, true, id -> true).checkRemove(unstarted, 1),
                EtcdError.MEMBER_NOT_ENOUGH_STARTED);
        expect(() -> new MembershipChecks(1, true, id -> true).checkRemove(started, 0x1234), EtcdError.MEMBER_NOT_FOUND);
    }

    @Test
    void promoteNeedsALearnerWithin90PercentOfTheLeader() {
        MembershipChecks checks = new MembershipChecks(1, true, id -> true);
        Membership.Members members = new Membership.Members(Map.of(1L, M1, 2L, M2, 4L, member(4, "", true)), Set.of());

        expect(() -> checks.checkPromote(members, 4, 100, 89), EtcdError.LEARNER_NOT_READY);
        assertThatCode(() -> checks.checkPromote(members, 4, 100, 90)).doesNotThrowAnyException();
        expect(() -> checks.checkPromote(members, 2, 100, 100), EtcdError.MEMBER_NOT_LEARNER);
        expect(() -> checks.checkPromote(members, 7, 100, -1), EtcdError.MEMBER_NOT_FOUND);
    }

    @Test
    void updateRefusesAnotherMembersPeerUrls() {
        MembershipChecks checks = new MembershipChecks(1, true, id -> true);
        Membership.Members members = new Membership.Members(Map.of(1L, M1, 2L, M2), Set.of());

        expect(() -> checks.checkUpdate(members, 2, M1.peerUrls()), EtcdError.PEERURL_EXIST);
        assertThatCode(() -> checks.checkUpdate(members, 2, M2.peerUrls())).doesNotThrowAnyException();
        expect(() -> checks.checkUpdate(members, 3, M2.peerUrls()), EtcdError.MEMBER_NOT_FOUND);
    }

    @Test
    void learnerFlagRoundTripsInEtcdsMemberJson() {
        ClusterMember learner = member(4, "", true);
        assertThat(new String(learner.toJson())).isEqualTo(
                "{\"id\":4,\"peerURLs\":[\"http://127.0.0.1:2484\"],\"isLearner\":true,\"name\":\"\",\"clientURLs\":[]}");
        assertThat(ClusterMember.fromJson(learner.toJson())).isEqualTo(learner);
        assertThat(ClusterMember.fromJson(M1.toJson())).isEqualTo(M1);
    }

    private static ClusterMember member(long id, String name, boolean learner) {
        return new ClusterMember(id, name, List.of(URI.create("http://127.0.0.1:" + (2480 + id))),
                name.isEmpty() ? List.of() : List.of(URI.create("http://127.0.0.1:" + (2370 + id))), learner);
    }

    private static void expect(ThrowingCallable call, EtcdError error) {
        assertThatThrownBy(call).isInstanceOf(EtcdException.class)
                .satisfies(e -> assertThat(((EtcdException) e).error()).isEqualTo(error));
    }
}
