package io.etcetera.kernel.raft.tracker;

import io.etcetera.kernel.raft.pb.ConfState;
import io.etcetera.kernel.raft.quorum.MajorityConfig;
import io.etcetera.kernel.raft.quorum.VoteResult;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership and every member's {@link Progress} and vote (etcd/raft's
 * {@code tracker.ProgressTracker}), with single-step membership changes: each change adds,
 * removes, promotes or demotes one member, so any two consecutive configurations share a
 * majority (Raft dissertation, section 4.1). Iteration is in id order, so runs replay exactly.
 * Not thread-safe.
 */
public final class ProgressTracker {

    private final int maxInflightMessages;
    private final TreeSet<Long> voters = new TreeSet<>();
    private final TreeSet<Long> learners = new TreeSet<>();
    private final TreeMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();

    public ProgressTracker(int maxInflightMessages) {
        this.maxInflightMessages = maxInflightMessages;
    }

    /** Replaces the membership with {@code confState}; every member starts at (match 0, next). */
    public void restore(ConfState confState, long next) {
        voters.clear();
        learners.clear();
        progress.clear();
        for (long id : confState.getVotersList()) {
            addVoter(id, next);
        }
        for (long id : confState.getLearnersList()) {
            addLearner(id, next);
        }
    }

    public ConfState confState() {
        return ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).build();
    }

    public Set<Long> voters() {
        return Collections.unmodifiableSet(voters);
    }

    public Set<Long> learners() {
        return Collections.unmodifiableSet(learners);
    }

    public boolean isVoter(long id) {
        return voters.contains(id);
    }

    /** The progress of member {@code id}, or {@code null} when it is not a member. */
    public Progress progress(long id) {
        return progress.get(id);
    }

    /** Every member's progress, voters and learners, in id order. */
    public Map<Long, Progress> all() {
        return Collections.unmodifiableMap(progress);
    }

    /** Adds voter {@code id}, or promotes the learner {@code id}; a present voter stays as is. */
    public void addVoter(long id, long next) {
        if (voters.contains(id)) {
            return;
        }
        if (learners.remove(id)) {
            progress.get(id).learner(false);
        } else {
            progress.put(id, newProgress(next, false));
        }
        voters.add(id);
    }

    /** Adds learner {@code id}, or demotes the voter {@code id}; a present learner stays as is. */
    public void addLearner(long id, long next) {
        if (learners.contains(id)) {
            return;
        }
        if (voters.remove(id)) {
            progress.get(id).learner(true);
        } else {
            progress.put(id, newProgress(next, true));
        }
        learners.add(id);
    }

    public void remove(long id) {
        voters.remove(id);
        learners.remove(id);
        progress.remove(id);
    }

    private Progress newProgress(long next, boolean learner) {
        Progress p = new Progress(0, next, maxInflightMessages, learner);
        // A new member counts as active, so that check-quorum does not depose the leader at once.
        p.recentActive(true);
        return p;
    }

    /** The highest index a majority of voters has acknowledged (Raft paper, section 5.3). */
    public long committedIndex() {
        return MajorityConfig.committedIndex(voters, id -> progress.get(id).match());
    }

    /** Whether a majority of voters was heard from recently (check-quorum); {@code self} always counts. */
    public boolean quorumActive(long self) {
        Map<Long, Boolean> active = new HashMap<>();
        for (long id : voters) {
            active.put(id, id == self || progress.get(id).recentActive());
        }
        return MajorityConfig.voteResult(voters, active) == VoteResult.WON;
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records {@code id}'s vote (the first one counts) and answers the election's outcome. */
    public VoteResult recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
        return MajorityConfig.voteResult(voters, votes);
    }

    public VoteResult voteResult() {
        return MajorityConfig.voteResult(voters, votes);
    }
}
