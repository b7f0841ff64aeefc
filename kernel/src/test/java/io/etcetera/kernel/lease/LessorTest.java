package io.etcetera.kernel.lease;

import static io.etcetera.kernel.lease.LeaseHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.LeaseCheckpoint;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.RequestOp;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The lessor and lease apply path on a fake clock, with etcd 3.4's rules (lease/lessor.go). */
class LessorTest {

    private static final long EXTEND_MS = LessorConfig.defaults().promoteExtendMs();

    private final LeaseHarness harness = new LeaseHarness(LessorConfig.defaults());

    private static void assertFailsWith(CompletableFuture<?> future, EtcdError error) {
        assertThatThrownBy(future::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(EtcdException.class)
                .hasMessage(error.message());
    }

    private static void assertRefusedWith(Runnable call, EtcdError error) {
        assertThatThrownBy(call::run).isInstanceOf(EtcdException.class).hasMessage(error.message());
    }

    // ---- grant ----

    @Test
    void minimumTtlIsEtcdsThreeHalvesOfTheElectionTimeoutRoundedUpToSeconds() {
        assertThat(LessorConfig.minLeaseTtlSeconds(10, 100)).isEqualTo(2);
        assertThat(LessorConfig.minLeaseTtlSeconds(10, 500)).isEqualTo(8);
        assertThat(LessorConfig.minLeaseTtlSeconds(5, 100)).isEqualTo(1);
        assertThat(LessorConfig.defaults().minLeaseTtlSeconds()).isEqualTo(2);
    }

    @Test
    void grantRaisesATtlBelowTheMinimumToIt() {
        assertThat(harness.grant(1, 1).getTTL()).isEqualTo(2);
        assertThat(harness.grant(2, -5).getTTL()).isEqualTo(2);
        assertThat(harness.grant(3, 60).getTTL()).isEqualTo(60);
        assertThat(harness.lessor.status(1, false).grantedTtlSeconds()).isEqualTo(2);
    }

    @Test
    void grantRefusesAnIdInUseATooLargeTtlAndIdZero() {
        harness.grant(7, 60);
        long applied = harness.mvcc.consistentIndex();

        assertRefusedWith(() -> harness.grant(7, 60), EtcdError.LEASE_EXIST);
        assertRefusedWith(() -> harness.grant(8, Lessor.MAX_LEASE_TTL_SECONDS + 1), EtcdError.LEASETTL_TOO_LARGE);
        assertRefusedWith(() -> harness.grant(0, 60), EtcdError.LEASE_NOT_FOUND);
        assertThat(harness.mvcc.consistentIndex()).isEqualTo(applied);
        assertThat(harness.grant(9, Lessor.MAX_LEASE_TTL_SECONDS).getTTL()).isEqualTo(Lessor.MAX_LEASE_TTL_SECONDS);
    }

    @Test
    void grantAnswersTheCurrentRevisionAndTakesNone() {
        harness.put("k", 0);

        assertThat(harness.grant(1, 60).getHeader().getRevision()).isEqualTo(2);
        assertThat(harness.mvcc.currentRevision()).isEqualTo(2);
    }

    // ---- attach, move, detach ----

    @Test
    void aPutWithALeaseAttachesTheKeyAndAPutWithAnotherLeaseMovesIt() {
        harness.grant(1, 60);
        harness.grant(2, 60);

        harness.put("k", 1);
        assertThat(harness.keysOf(1)).containsExactly("k");

        harness.put("k", 2);
        assertThat(harness.keysOf(1)).isEmpty();
        assertThat(harness.keysOf(2)).containsExactly("k");
        assertThat(harness.lessor.leaseOf("k".getBytes())).isEqualTo(2);
    }

    @Test
    void aPutWithIgnoreLeaseKeepsTheLeaseAndAPutWithoutLeaseDetaches() {
        harness.grant(1, 60);
        harness.put("k", 1);

        harness.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("w")).setIgnoreLease(true).build());
        assertThat(harness.keysOf(1)).containsExactly("k");
        assertThat(harness.kv("k").getLease()).isEqualTo(1);

        harness.put("k", 0);
        assertThat(harness.keysOf(1)).isEmpty();
        assertThat(harness.lessor.leaseOf("k".getBytes())).isZero();
    }

    @Test
    void aDeleteDetachesTheKey() {
        harness.grant(1, 60);
        harness.put("a", 1);
        harness.put("b", 1);

        harness.delete("a");

        assertThat(harness.keysOf(1)).containsExactly("b");
    }

    @Test
    void putsInATxnAttachOnlyOnceCommitted() {
        harness.grant(1, 60);
        TxnRequest txn = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes("x")).setValue(bytes("1")).setLease(1)))
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes("y")).setValue(bytes("1")).setLease(1)))
                .build();
        harness.mvcc.txn(txn, ++harness.index);
        assertThat(harness.keysOf(1)).containsExactly("x", "y");

        // a txn refused for an unknown lease attaches nothing
        TxnRequest refused = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes("z")).setValue(bytes("1")).setLease(1)))
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes("w")).setValue(bytes("1")).setLease(99)))
                .build();
        assertRefusedWith(() -> harness.mvcc.txn(refused, ++harness.index), EtcdError.LEASE_NOT_FOUND);
        assertThat(harness.keysOf(1)).containsExactly("x", "y");
    }

    // ---- revoke ----

    @Test
    void revokeDeletesEveryAttachedKeyAtOneRevision() {
        harness.grant(1, 60);
        harness.put("b", 1);
        harness.put("a", 1);
        harness.put("other", 0);
        harness.put("c", 1);
        long before = harness.mvcc.currentRevision();

        long revision = harness.revokeLease(1).getHeader().getRevision();

        assertThat(revision).isEqualTo(before + 1);
        assertThat(harness.mvcc.currentRevision()).isEqualTo(before + 1);
        assertThat(harness.kv("a")).isNull();
        assertThat(harness.kv("b")).isNull();
        assertThat(harness.kv("c")).isNull();
        assertThat(harness.kv("other")).isNotNull();
        assertThat(harness.lessor.exists(1)).isFalse();
        assertThat(harness.backend.get(io.etcetera.spi.storage.Bucket.LEASE, LeaseRecords.key(1))).isNull();
    }

    @Test
    void revokingALeaseWithoutKeysTakesNoRevision() {
        harness.grant(1, 60);
        long before = harness.mvcc.currentRevision();

        assertThat(harness.revokeLease(1).getHeader().getRevision()).isEqualTo(before);
        assertThat(harness.mvcc.currentRevision()).isEqualTo(before);
    }

    @Test
    void revokingAnUnknownLeaseFailsWithLeaseNotFound() {
        assertRefusedWith(() -> harness.revokeLease(42), EtcdError.LEASE_NOT_FOUND);
        harness.grant(42, 60);
        harness.revokeLease(42);
        assertRefusedWith(() -> harness.revokeLease(42), EtcdError.LEASE_NOT_FOUND);
    }

    // ---- expiry, decided by the primary on its clock ----

    @Test
    void aLeaseThatIsNotKeptAliveIsProposedForRevocationOnceItsTtlPasses() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 5);
        harness.put("k", 1);

        harness.clock.advance(Duration.ofMillis(4_999));
        harness.lessor.tick();
        assertThat(harness.proposedRevocations).isEmpty();

        harness.clock.advance(Duration.ofMillis(1));
        harness.lessor.tick();
        assertThat(harness.proposedRevocations).containsExactly(1L);

        harness.applyProposals();
        assertThat(harness.kv("k")).isNull();
        assertThat(harness.lessor.exists(1)).isFalse();
    }

    @Test
    void anExpiredLeaseIsProposedAgainOnlyAfterTheRetryInterval() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 5);
        harness.clock.advance(Duration.ofSeconds(5));
        harness.lessor.tick();
        harness.proposedRevocations.clear(); // that proposal was lost (a leader change, say)

        harness.lessor.tick();
        assertThat(harness.proposedRevocations).isEmpty();

        harness.clock.advance(Duration.ofMillis(LessorConfig.DEFAULT_EXPIRED_LEASE_RETRY_MS));
        harness.lessor.tick();
        assertThat(harness.proposedRevocations).containsExactly(1L);
    }

    @Test
    void aLessorThatIsNotPrimaryNeverExpiresLeases() {
        harness.grant(1, 5);
        harness.clock.advance(Duration.ofHours(1));

        harness.lessor.tick();

        assertThat(harness.proposedRevocations).isEmpty();
        assertThat(harness.lessor.status(1, false).remainingSeconds()).isEqualTo(Long.MAX_VALUE / 1_000_000_000L);
    }

    @Test
    void demotionStopsExpiryAndPromotionRestartsEveryLeaseFromItsTtlPlusTheExtension() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 10);
        harness.clock.advance(Duration.ofSeconds(8));

        harness.lessor.demote();
        harness.clock.advance(Duration.ofSeconds(30));
        harness.lessor.tick();
        assertThat(harness.proposedRevocations).isEmpty();

        harness.lessor.promote(EXTEND_MS);
        assertThat(harness.lessor.status(1, false).remainingSeconds()).isEqualTo(11);
    }

    // ---- keep-alive ----

    @Test
    void keepAliveRenewsToTheFullTtl() throws Exception {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 10);
        harness.clock.advance(Duration.ofSeconds(8));

        assertThat(harness.lessor.renew(1).get()).isEqualTo(10);

        harness.clock.advance(Duration.ofSeconds(8));
        harness.lessor.tick();
        assertThat(harness.proposedRevocations).isEmpty();
        assertThat(harness.lessor.status(1, false).remainingSeconds()).isEqualTo(2);
        harness.clock.advance(Duration.ofSeconds(2));
        harness.lessor.tick();
        assertThat(harness.proposedRevocations).containsExactly(1L);
    }

    @Test
    void keepAliveOfAnUnknownLeaseFailsWithLeaseNotFoundAndOffThePrimaryWithNotLeader() {
        assertFailsWith(harness.lessor.renew(1), EtcdError.NOT_LEADER);
        harness.lessor.promote(EXTEND_MS);
        assertFailsWith(harness.lessor.renew(1), EtcdError.LEASE_NOT_FOUND);
    }

    @Test
    void keepAliveOfAnExpiredLeaseWaitsForItsRevocationAndThenAnswersNotFound() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 5);
        harness.clock.advance(Duration.ofSeconds(6));

        CompletableFuture<Long> renewal = harness.lessor.renew(1);
        assertThat(renewal).isNotDone();

        harness.lessor.tick();
        harness.applyProposals();
        assertFailsWith(renewal, EtcdError.LEASE_NOT_FOUND);
    }

    @Test
    void aRenewalWaitingForARevocationFailsWhenTheLessorStops() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 5);
        harness.clock.advance(Duration.ofSeconds(6));
        CompletableFuture<Long> renewal = harness.lessor.renew(1);

        harness.lessor.stop();

        assertFailsWith(renewal, EtcdError.STOPPED);
    }

    // ---- time to live, listing ----

    @Test
    void timeToLiveTellsGrantedAndRemainingTtlTruncatedAndKeysInByteOrder() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 30);
        harness.put("zeta", 1);
        harness.put("alpha", 1);
        harness.clock.advance(Duration.ofMillis(1_500));

        LeaseStatus status = harness.lessor.status(1, true);

        assertThat(status.grantedTtlSeconds()).isEqualTo(30);
        assertThat(status.remainingSeconds()).isEqualTo(28);
        assertThat(harness.keysOf(1)).containsExactly("alpha", "zeta");
        assertThat(harness.lessor.status(1, false).keys()).isEmpty();
        assertThat(harness.lessor.status(2, true)).isNull();
    }

    @Test
    void leasesAreListedSoonestToExpireFirst() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 60);
        harness.grant(2, 10);
        harness.grant(3, 30);

        assertThat(harness.lessor.leaseIds()).containsExactly(2L, 3L, 1L);
    }

    // ---- persistence, promotion, checkpoints ----

    @Test
    void leasesAndTheirKeysSurviveARestartAndRestartFromTheirFullTtlPlusTheExtension() {
        harness.lessor.promote(EXTEND_MS);
        harness.grant(1, 30);
        harness.grant(2, 30);
        harness.put("a", 1);
        harness.put("b", 1);
        harness.put("c", 2);
        harness.put("c", 0);
        harness.revokeLease(2);
        harness.clock.advance(Duration.ofSeconds(20));

        LeaseHarness restarted = harness.restart();

        assertThat(restarted.lessor.leaseIds()).containsExactly(1L);
        assertThat(restarted.keysOf(1)).containsExactly("a", "b");
        restarted.lessor.promote(EXTEND_MS);
        assertThat(restarted.lessor.status(1, false).remainingSeconds()).isEqualTo(31);
        restarted.revokeLease(1);
        assertThat(restarted.kv("a")).isNull();
        assertThat(restarted.kv("b")).isNull();
    }

    @Test
    void theLeaderCheckpointsRemainingTtlsAndAPromotionResumesFromTheCheckpoint() {
        LeaseHarness checkpointing = new LeaseHarness(new LessorConfig(2, EXTEND_MS, 10_000, 7_000));
        checkpointing.lessor.promote(EXTEND_MS);
        checkpointing.grant(1, 60);
        checkpointing.grant(2, 5); // shorter than the interval: never checkpointed, as in etcd

        checkpointing.clock.advance(Duration.ofMillis(9_999));
        checkpointing.lessor.tick();
        assertThat(checkpointing.proposedCheckpoints).isEmpty();

        checkpointing.clock.advance(Duration.ofMillis(1));
        checkpointing.lessor.tick();
        assertThat(checkpointing.proposedCheckpoints).containsExactly(
                List.of(LeaseCheckpoint.newBuilder().setID(1).setRemainingTTL(50).build()));
        checkpointing.proposedRevocations.clear();
        checkpointing.applyProposals();

        // the next checkpoint is scheduled when this one is applied
        checkpointing.clock.advance(Duration.ofSeconds(10));
        checkpointing.lessor.tick();
        assertThat(checkpointing.proposedCheckpoints).containsExactly(
                List.of(LeaseCheckpoint.newBuilder().setID(1).setRemainingTTL(40).build()));
        checkpointing.applyProposals();

        LeaseHarness restarted = checkpointing.restart();
        restarted.lessor.promote(EXTEND_MS);
        assertThat(restarted.lessor.status(1, false).remainingSeconds()).isEqualTo(41);
        assertThat(restarted.lessor.status(1, false).grantedTtlSeconds()).isEqualTo(60);
    }

    @Test
    void keepAliveClearsACheckpointThroughTheLog() throws Exception {
        LeaseHarness checkpointing = new LeaseHarness(new LessorConfig(2, EXTEND_MS, 10_000, 7_000));
        checkpointing.lessor.promote(EXTEND_MS);
        checkpointing.grant(1, 60);
        checkpointing.clock.advance(Duration.ofSeconds(10));
        checkpointing.lessor.tick();
        checkpointing.applyProposals();

        assertThat(checkpointing.lessor.renew(1).get()).isEqualTo(60);
        assertThat(checkpointing.proposedCheckpoints).containsExactly(
                List.of(LeaseCheckpoint.newBuilder().setID(1).setRemainingTTL(0).build()));
        checkpointing.applyProposals();

        LeaseHarness restarted = checkpointing.restart();
        restarted.lessor.promote(0);
        assertThat(restarted.lessor.status(1, false).remainingSeconds()).isEqualTo(60);
    }

    @Test
    void aLeaseHasAtMostOnePendingCheckpointHoweverOftenItIsRenewed() throws Exception {
        LeaseHarness checkpointing = new LeaseHarness(new LessorConfig(2, EXTEND_MS, 10_000, 7_000));
        checkpointing.lessor.promote(EXTEND_MS);
        checkpointing.grant(1, 60);
        for (int round = 0; round < 3; round++) {
            checkpointing.clock.advance(Duration.ofSeconds(10));
            checkpointing.lessor.tick();
            assertThat(checkpointing.proposedCheckpoints).as("round " + round).singleElement()
                    .satisfies(batch -> assertThat(batch).hasSize(1));
            checkpointing.applyProposals();
            checkpointing.clock.advance(Duration.ofSeconds(1));
            checkpointing.lessor.renew(1).get(); // clears the checkpoint through the log
            checkpointing.applyProposals();
        }
    }

    @Test
    void aRestartedLessorRaisesStoredTtlsBelowItsMinimum() {
        harness.grant(1, 5);

        LeaseHarness restarted = harness.restart(new LessorConfig(8, EXTEND_MS, 300_000, 7_000));

        assertThat(restarted.lessor.status(1, false).grantedTtlSeconds()).isEqualTo(8);
    }
}
