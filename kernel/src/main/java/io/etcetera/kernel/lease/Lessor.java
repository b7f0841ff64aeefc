package io.etcetera.kernel.lease;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.mvcc.LeaseLookup;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.LeaseCheckpoint;
import io.etcetera.spi.storage.ReadView;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The lessor: the leases of this member and the keys attached to them (etcd's
 * {@code lease/lessor.go}).
 *
 * <p><b>Replicated state</b>, changed only by applying log entries (the apply thread, through
 * {@link LeaseApplier}): which leases exist, their granted TTL, their last checkpointed remaining
 * TTL, and (told by the MVCC store through {@link LeaseLookup}) which keys each one holds. Every
 * member has the same.
 *
 * <p><b>Leader state</b>, local to this member and driven by its {@link LeaseClock}: when each
 * lease expires. Only the primary lessor (the leader's, after {@link #promote}) keeps expiries;
 * elsewhere leases never expire. The primary renews leases ({@link #renew}, keep-alive), finds
 * expired leases and due checkpoints on each {@link #tick} and proposes their revocation or
 * checkpoint through {@link LeaseProposals}, so that every member deletes the same keys at the
 * same revision. Promotion restarts each lease from its checkpointed remaining TTL (else its
 * full TTL) plus {@link LessorConfig#promoteExtendMs()}, as etcd does. Unlike etcd's default,
 * remaining TTLs are checkpointed and persisted always (etcd's lease checkpointing with
 * {@code checkpointPersist}; issues 9395 and 9888), so a lease longer than the checkpoint
 * interval cannot be kept alive forever by leader changes or restarts.
 *
 * <p>Not done from etcd: spreading the expiries of many leases after a promotion
 * ({@code leaseRevokeRate} pile-up avoidance).
 *
 * <p>Thread-safe: one monitor guards all state. The lessor never calls the MVCC store or the
 * proposals while holding it, so the store may call it under the store's own lock.
 */
public final class Lessor implements LeaseLookup {

    private static final System.Logger LOG = System.getLogger(Lessor.class.getName());

    /** The largest TTL a lease may be granted, in seconds (etcd's {@code MaxLeaseTTL}). */
    public static final long MAX_LEASE_TTL_SECONDS = 9_000_000_000L;
    /** The most expired leases proposed for revocation per {@link #tick} (etcd: {@code leaseRevokeRate / 2}). */
    public static final int MAX_REVOCATIONS_PER_TICK = 500;
    /** The most checkpoints in one proposal (etcd's {@code maxLeaseCheckpointBatchSize}). */
    public static final int MAX_CHECKPOINTS_PER_PROPOSAL = 1000;
    /** The most checkpoint proposals per {@link #tick} (etcd: {@code leaseCheckpointRate / 2}). */
    public static final int MAX_CHECKPOINT_PROPOSALS_PER_TICK = 500;

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A lease check due at a time on the lessor's clock. */
    record Scheduled(long atNanos, long leaseId) {
        static final Comparator<Scheduled> ORDER =
                Comparator.comparingLong(Scheduled::atNanos).thenComparingLong(Scheduled::leaseId);
    }

    private final LessorConfig config;
    private final LeaseClock clock;
    private LeaseProposals proposals;

    private final Map<Long, Lease> leases = new HashMap<>();
    private final Map<ByteString, Long> keyLeases = new HashMap<>();
    /** Expiry checks of the primary, soonest first; one per lease (removed with the lease). */
    private final TreeSet<Scheduled> expiryChecks = new TreeSet<>(Scheduled.ORDER);
    /** Checkpoints of the primary, soonest first; at most one per lease. */
    private final TreeSet<Scheduled> checkpoints = new TreeSet<>(Scheduled.ORDER);
    /** Set while primary; completed (normally on demotion, with STOPPED on stop) when that ends. */
    private CompletableFuture<Void> primaryTerm;
    private boolean stopped;

    private Lessor(LessorConfig config, LeaseClock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A lessor holding the leases stored in {@code backend}'s lease bucket (etcd's
     * {@code initAndRecover}): each with its TTL (raised to the minimum TTL) and checkpointed
     * remaining TTL, no keys yet (the MVCC store attaches them when it opens, so open the lessor
     * first) and no expiry until {@link #promote}. Proposals are refused until
     * {@link #setProposals} is called.
     *
     * @throws io.etcetera.spi.storage.StorageException when a lease record is corrupt
     */
    public static Lessor recover(ReadView backend, LessorConfig config, LeaseClock clock) {
        Lessor lessor = new Lessor(config, clock);
        for (StoredLease record : LeaseRecords.readAll(backend)) {
            long ttl = Math.max(record.ttlSeconds(), config.minLeaseTtlSeconds());
            lessor.leases.put(record.id(), new Lease(record.id(), ttl, record.remainingTtlSeconds()));
        }
        return lessor;
    }

    /** Sets where the primary proposes revocations and checkpoints (etcd's {@code SetCheckpointer}). */
    public synchronized void setProposals(LeaseProposals proposals) {
        this.proposals = Objects.requireNonNull(proposals, "proposals");
    }

    /** The timing this lessor runs with. */
    public LessorConfig config() {
        return config;
    }

    // ---- replicated state: the apply thread, through LeaseApplier ----

    /**
     * Replaces every lease with those stored in {@code backend}'s lease bucket, after the backend's
     * contents were replaced by a snapshot from the leader (etcd's {@code lessor.Recover} in
     * {@code applySnapshot}). Keys are detached: the MVCC store re-attaches them when it reloads,
     * so reload the lessor first. Revocations waited on for dropped leases complete; a primary
     * schedules the new leases as {@link #promote} does. Apply thread only.
     */
    public void reload(ReadView backend) {
        List<Lease> dropped;
        synchronized (this) {
            dropped = new ArrayList<>(leases.values());
            leases.clear();
            keyLeases.clear();
            expiryChecks.clear();
            checkpoints.clear();
            long now = clock.nanoTime();
            for (StoredLease record : LeaseRecords.readAll(backend)) {
                long ttl = Math.max(record.ttlSeconds(), config.minLeaseTtlSeconds());
                Lease lease = new Lease(record.id(), ttl, record.remainingTtlSeconds());
                leases.put(record.id(), lease);
                if (isPrimary()) {
                    refresh(lease, now, 0);
                    scheduleCheckpointIfNeeded(lease, now);
                }
            }
        }
        dropped.forEach(lease -> lease.revoked.complete(null));
    }

    /**
     * The TTL lease {@code id} would be granted for a request of {@code ttlSeconds}: at least the
     * minimum TTL (etcd's {@code Grant} checks, in its order).
     *
     * @throws io.etcetera.spi.error.EtcdException LEASE_NOT_FOUND for id 0, LEASETTL_TOO_LARGE
     *     above {@link #MAX_LEASE_TTL_SECONDS}, LEASE_EXIST when {@code id} is in use
     */
    synchronized long checkGrant(long id, long ttlSeconds) {
        if (id == 0) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
        if (ttlSeconds > MAX_LEASE_TTL_SECONDS) {
            throw EtcdError.LEASETTL_TOO_LARGE.exception();
        }
        if (leases.containsKey(id)) {
            throw EtcdError.LEASE_EXIST.exception();
        }
        return Math.max(ttlSeconds, config.minLeaseTtlSeconds());
    }

    /** Adds lease {@code id} checked by {@link #checkGrant}; the primary starts its expiry now. */
    synchronized void grant(long id, long ttlSeconds) {
        Lease lease = new Lease(id, ttlSeconds, 0);
        leases.put(id, lease);
        if (isPrimary()) {
            long now = clock.nanoTime();
            refresh(lease, now, 0);
            scheduleCheckpointIfNeeded(lease, now);
        }
    }

    /**
     * The keys attached to lease {@code id}, in unsigned byte order: the keys its revocation
     * deletes, in the order every member deletes them.
     *
     * @throws io.etcetera.spi.error.EtcdException LEASE_NOT_FOUND when there is no such lease
     */
    synchronized List<byte[]> keysToRevoke(long id) {
        Lease lease = leases.get(id);
        if (lease == null) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
        List<byte[]> keys = new ArrayList<>(lease.keys.size());
        lease.keys.forEach(key -> keys.add(key.toByteArray()));
        return keys;
    }

    /** Removes lease {@code id}, whose keys were deleted; renewals waiting for it answer "not found". */
    void revoked(long id) {
        Lease lease;
        synchronized (this) {
            lease = leases.remove(id);
            if (lease == null) {
                return;
            }
            lease.keys.forEach(keyLeases::remove);
            if (lease.expiryCheck != null) {
                expiryChecks.remove(lease.expiryCheck);
            }
            if (lease.checkpoint != null) {
                checkpoints.remove(lease.checkpoint);
            }
        }
        lease.revoked.complete(null);
    }

    /**
     * Records the remaining TTLs of {@code checkpoints} (etcd's {@code Checkpoint}); checkpoints
     * of leases that no longer exist are skipped. A remaining TTL of 0 clears the checkpoint.
     *
     * @return the records to persist, for the leases that exist
     */
    synchronized List<StoredLease> checkpoint(List<LeaseCheckpoint> checkpoints) {
        List<StoredLease> records = new ArrayList<>();
        long now = clock.nanoTime();
        for (LeaseCheckpoint checkpoint : checkpoints) {
            Lease lease = leases.get(checkpoint.getID());
            if (lease == null) {
                continue;
            }
            lease.remainingTtlSeconds = Math.max(0, checkpoint.getRemainingTTL());
            records.add(new StoredLease(lease.id, lease.ttlSeconds, lease.remainingTtlSeconds));
            if (isPrimary()) {
                scheduleCheckpointIfNeeded(lease, now);
            }
        }
        return records;
    }

    @Override
    public synchronized boolean exists(long leaseId) {
        return leases.containsKey(leaseId);
    }

    @Override
    public synchronized void keyPut(byte[] key, long leaseId) {
        ByteString item = ByteString.copyFrom(key);
        detach(item);
        if (leaseId == 0) {
            return;
        }
        Lease lease = leases.get(leaseId);
        if (lease == null) {
            // etcd logs "failed to attach a lease" and goes on; the put was checked, so only a
            // backend whose lease record is missing gets here
            LOG.log(Level.WARNING, "key {0} names lease {1} which does not exist; not attached",
                    item.toStringUtf8(), Long.toHexString(leaseId));
            return;
        }
        lease.keys.add(item);
        keyLeases.put(item, leaseId);
    }

    @Override
    public synchronized void keyDeleted(byte[] key) {
        detach(ByteString.copyFrom(key));
    }

    private void detach(ByteString item) {
        Long previous = keyLeases.remove(item);
        if (previous != null) {
            Lease lease = leases.get(previous);
            if (lease != null) {
                lease.keys.remove(item);
            }
        }
    }

    // ---- leader state ----

    /** Whether this lessor is the primary: it keeps expiries and accepts renewals. */
    public synchronized boolean isPrimary() {
        return primaryTerm != null;
    }

    /**
     * Makes this lessor the primary (etcd's {@code Promote}), when this member became leader and
     * applied every entry of earlier terms: each lease now expires after its checkpointed
     * remaining TTL (else its TTL) plus {@code extendMs}, and is scheduled for checkpoints.
     */
    public void promote(long extendMs) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (primaryTerm == null) {
                primaryTerm = new CompletableFuture<>();
            }
            long now = clock.nanoTime();
            long extendNanos = TimeUnit.MILLISECONDS.toNanos(extendMs);
            for (Lease lease : leases.values()) {
                refresh(lease, now, extendNanos);
                scheduleCheckpointIfNeeded(lease, now);
            }
        }
    }

    /**
     * Stops being the primary (etcd's {@code Demote}), when this member lost leadership: leases
     * never expire here any more, and renewals waiting for a revocation fail with
     * {@code NOT_LEADER}.
     */
    public void demote() {
        CompletableFuture<Void> ended;
        synchronized (this) {
            ended = endPrimaryTerm();
        }
        if (ended != null) {
            ended.complete(null);
        }
    }

    /** Demotes for good: the member is stopping; waiting renewals fail with {@code STOPPED}. */
    public void stop() {
        CompletableFuture<Void> ended;
        synchronized (this) {
            stopped = true;
            ended = endPrimaryTerm();
        }
        if (ended != null) {
            ended.completeExceptionally(EtcdError.STOPPED.exception());
        }
    }

    private CompletableFuture<Void> endPrimaryTerm() {
        CompletableFuture<Void> ended = primaryTerm;
        primaryTerm = null;
        for (Lease lease : leases.values()) {
            lease.expiryNanos = Lease.FOREVER;
            lease.expiryCheck = null;
            lease.checkpoint = null;
        }
        expiryChecks.clear();
        checkpoints.clear();
        return ended;
    }

    /**
     * Renews lease {@code id} (etcd's {@code Renew}): it expires its full TTL from now, and a
     * checkpointed remaining TTL is cleared through the log. An expired lease is not renewed: the
     * answer waits until its revocation is applied (or this member stops being the primary), so a
     * client is never told a lease lives whose keys are about to be deleted.
     *
     * @return a future of the granted TTL in seconds; failed with LEASE_NOT_FOUND for an unknown,
     *     revoked or expired lease, NOT_LEADER when this lessor is not the primary (renewals go to
     *     the leader), STOPPED when the member stops
     */
    public CompletableFuture<Long> renew(long id) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Lease lease;
        CompletableFuture<Void> term;
        boolean clearCheckpoint = false;
        LeaseProposals proposer;
        synchronized (this) {
            term = primaryTerm;
            if (term == null) {
                return CompletableFuture.failedFuture(
                        (stopped ? EtcdError.STOPPED : EtcdError.NOT_LEADER).exception());
            }
            lease = leases.get(id);
            if (lease == null) {
                return CompletableFuture.failedFuture(EtcdError.LEASE_NOT_FOUND.exception());
            }
            long now = clock.nanoTime();
            if (!lease.expired(now)) {
                clearCheckpoint = lease.remainingTtlSeconds > 0;
                refresh(lease, now, 0);
                result.complete(lease.ttlSeconds);
            }
            proposer = proposals;
        }
        if (result.isDone()) {
            if (clearCheckpoint && proposer != null) {
                // at most one such entry per lease and checkpoint, as etcd limits it
                proposer.checkpoint(List.of(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(0).build()));
            }
            return result;
        }
        lease.revoked.whenComplete((ignored, failure) ->
                result.completeExceptionally(EtcdError.LEASE_NOT_FOUND.exception()));
        term.whenComplete((ignored, failure) ->
                result.completeExceptionally(failure != null ? failure : EtcdError.NOT_LEADER.exception()));
        return result;
    }

    /**
     * One turn of the primary's timer (etcd's {@code runLoop} body, every 500 ms): proposes the
     * revocation of up to {@link #MAX_REVOCATIONS_PER_TICK} expired leases (an expired lease is
     * proposed again every {@link LessorConfig#expiredLeaseRetryMs()} until its revocation is
     * applied), then the checkpoints that are due. Does nothing unless primary.
     */
    public void tick() {
        List<Long> expired = new ArrayList<>();
        List<List<LeaseCheckpoint>> dueCheckpoints = new ArrayList<>();
        LeaseProposals proposer;
        synchronized (this) {
            proposer = proposals;
            if (!isPrimary() || proposer == null) {
                return;
            }
            long now = clock.nanoTime();
            findExpired(now, expired);
            for (int i = 0; i < MAX_CHECKPOINT_PROPOSALS_PER_TICK; i++) {
                List<LeaseCheckpoint> batch = findDueCheckpoints(now);
                if (!batch.isEmpty()) {
                    dueCheckpoints.add(batch);
                }
                if (batch.size() < MAX_CHECKPOINTS_PER_PROPOSAL) {
                    break;
                }
            }
        }
        for (long id : expired) {
            proposer.revoke(id);
        }
        for (List<LeaseCheckpoint> batch : dueCheckpoints) {
            proposer.checkpoint(batch);
        }
    }

    private void findExpired(long now, List<Long> expired) {
        long retryNanos = TimeUnit.MILLISECONDS.toNanos(config.expiredLeaseRetryMs());
        while (expired.size() < MAX_REVOCATIONS_PER_TICK && !expiryChecks.isEmpty()
                && expiryChecks.first().atNanos() - now <= 0) {
            Scheduled check = expiryChecks.pollFirst();
            Lease lease = leases.get(check.leaseId());
            lease.expiryCheck = null;
            if (lease.expired(now)) {
                expired.add(lease.id);
                // check again later: the revocation may be lost if leadership changes meanwhile
                scheduleExpiryCheck(lease, now + retryNanos);
            } else {
                scheduleExpiryCheck(lease, lease.expiryNanos);
            }
        }
    }

    /**
     * etcd's {@code findDueScheduledCheckpoints}: a due lease that has not expired and has less
     * than its TTL left gets a checkpoint of its remaining whole seconds (rounded up); the apply
     * of that checkpoint schedules the next. Refinement: a lease with its full TTL left (renewed
     * since) is scheduled again rather than dropped, so renewal never ends its checkpoints.
     */
    private List<LeaseCheckpoint> findDueCheckpoints(long now) {
        List<LeaseCheckpoint> due = new ArrayList<>();
        while (due.size() < MAX_CHECKPOINTS_PER_PROPOSAL && !checkpoints.isEmpty()
                && checkpoints.first().atNanos() - now <= 0) {
            Scheduled scheduled = checkpoints.pollFirst();
            Lease lease = leases.get(scheduled.leaseId());
            lease.checkpoint = null;
            if (lease.expired(now)) {
                continue;
            }
            long remainingSeconds = ceilSeconds(lease.remainingNanos(now));
            if (remainingSeconds >= lease.ttlSeconds) {
                scheduleCheckpointIfNeeded(lease, now);
                continue;
            }
            due.add(LeaseCheckpoint.newBuilder().setID(lease.id).setRemainingTTL(remainingSeconds).build());
        }
        return due;
    }

    /** Expiry from {@code now}: the effective TTL plus {@code extendNanos}; rescheduled. Holds the monitor. */
    private void refresh(Lease lease, long now, long extendNanos) {
        lease.expiryNanos = now + extendNanos + lease.effectiveTtlSeconds() * NANOS_PER_SECOND;
        scheduleExpiryCheck(lease, lease.expiryNanos);
    }

    private void scheduleExpiryCheck(Lease lease, long atNanos) {
        if (lease.expiryCheck != null) {
            expiryChecks.remove(lease.expiryCheck);
        }
        lease.expiryCheck = new Scheduled(atNanos, lease.id);
        expiryChecks.add(lease.expiryCheck);
    }

    /**
     * etcd's {@code scheduleCheckpointIfNeeded}: only leases longer than the checkpoint interval.
     * Refinement: a lease has at most one pending checkpoint (a new one replaces it), where etcd's
     * heap gains a duplicate each time a keep-alive clears a checkpoint.
     */
    private void scheduleCheckpointIfNeeded(Lease lease, long now) {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.checkpointIntervalMs());
        if (lease.effectiveTtlSeconds() * NANOS_PER_SECOND > intervalNanos) {
            if (lease.checkpoint != null) {
                checkpoints.remove(lease.checkpoint);
            }
            lease.checkpoint = new Scheduled(now + intervalNanos, lease.id);
            checkpoints.add(lease.checkpoint);
        }
    }

    // ---- reads ----

    /**
     * Lease {@code id} as the leader reports it (etcd's {@code LeaseTimeToLive} on the leader),
     * or {@code null} when there is no such lease.
     *
     * @param withKeys whether to list the attached keys
     */
    public synchronized LeaseStatus status(long id, boolean withKeys) {
        Lease lease = leases.get(id);
        if (lease == null) {
            return null;
        }
        long remaining = lease.remainingNanos(clock.nanoTime());
        return new LeaseStatus(id, lease.ttlSeconds, remaining / NANOS_PER_SECOND,
                withKeys ? List.copyOf(lease.keys) : List.of());
    }

    /** The ids of every lease, soonest to expire first (etcd's {@code Leases}); ties by id. */
    public synchronized List<Long> leaseIds() {
        long now = clock.nanoTime();
        return leases.values().stream()
                .sorted(Comparator.<Lease>comparingLong(lease -> lease.remainingNanos(now))
                        .thenComparingLong(lease -> lease.id))
                .map(lease -> lease.id)
                .toList();
    }

    /** The lease {@code key} is attached to, or 0 (etcd's {@code GetLease}). */
    public synchronized long leaseOf(byte[] key) {
        return keyLeases.getOrDefault(ByteString.copyFrom(key), 0L);
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
