package io.etcetera.kernel.raft.tracker;

/**
 * A leader's view of one member's log (etcd/raft's {@code tracker.Progress}): {@code match} is
 * the highest index known to be replicated there, {@code next} the next index to send. Not
 * thread-safe.
 */
public final class Progress {

    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    private long pendingSnapshot;
    private boolean recentActive;
    private boolean probeSent;
    private boolean learner;
    private final Inflights inflights;

    public Progress(long match, long next, int maxInflightMessages, boolean learner) {
        this.match = match;
        this.next = next;
        this.learner = learner;
        this.inflights = new Inflights(maxInflightMessages);
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    public boolean recentActive() {
        return recentActive;
    }

    public void recentActive(boolean active) {
        this.recentActive = active;
    }

    public boolean probeSent() {
        return probeSent;
    }

    public void probeSent(boolean sent) {
        this.probeSent = sent;
    }

    public boolean isLearner() {
        return learner;
    }

    void learner(boolean isLearner) {
        this.learner = isLearner;
    }

    public Inflights inflights() {
        return inflights;
    }

    /** A new term: everything the previous leader knew is forgotten; probing resumes at {@code next}. */
    public void restartAt(long newMatch, long newNext) {
        reset(ProgressState.PROBE);
        match = newMatch;
        next = newNext;
        recentActive = false;
    }

    /** The snapshot could not be delivered: probing resumes from the match index. */
    public void snapshotFailed() {
        pendingSnapshot = 0;
    }

    public void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            // The snapshot may have arrived: resume after it rather than from the old match.
            long snapshotIndex = pendingSnapshot;
            reset(ProgressState.PROBE);
            next = Math.max(match + 1, snapshotIndex + 1);
        } else {
            reset(ProgressState.PROBE);
            next = match + 1;
        }
    }

    public void becomeReplicate() {
        reset(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        reset(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /**
     * The member acknowledged entries up to {@code index}.
     *
     * @return whether the match index rose
     */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** Entries up to {@code lastIndex} were sent in replicate state: send the next ones next. */
    public void optimisticUpdate(long lastIndex) {
        next = lastIndex + 1;
    }

    /**
     * The member rejected the MsgApp whose previous entry was {@code rejected}; its last index is
     * {@code lastIndexHint}.
     *
     * @return whether {@code next} went back (false for a stale rejection)
     */
    public boolean maybeDecrTo(long rejected, long lastIndexHint) {
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, lastIndexHint + 1), 1);
        probeSent = false;
        return true;
    }

    /** Whether the leader must not send MsgApps now. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    private void reset(ProgressState newState) {
        probeSent = false;
        pendingSnapshot = 0;
        state = newState;
        inflights.reset();
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + (learner ? " learner" : "")
                + (state == ProgressState.SNAPSHOT ? " pendingSnapshot=" + pendingSnapshot : "")
                + " inflight=" + inflights.count();
    }
}
