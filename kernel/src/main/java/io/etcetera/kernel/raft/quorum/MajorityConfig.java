package io.etcetera.kernel.raft.quorum;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Majority quorum math over a set of voters (etcd/raft's {@code quorum.MajorityConfig}): the
 * committed index and the vote result. Learners are never part of it. Pure functions;
 * thread-safe.
 */
public final class MajorityConfig {

    private MajorityConfig() {
    }

    /** The number of voters that make a majority of {@code voters}: {@code n / 2 + 1}. */
    public static int quorum(int voters) {
        return voters / 2 + 1;
    }

    /**
     * The highest index a majority of {@code voters} has acknowledged, given each voter's
     * {@code matchIndex}: the {@code quorum}-th largest match index. An empty set commits
     * everything ({@link Long#MAX_VALUE}), as in etcd, so that it never constrains a joint config.
     */
    public static long committedIndex(Set<Long> voters, LongUnaryOperator matchIndex) {
        if (voters.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long[] matches = new long[voters.size()];
        int i = 0;
        for (long id : voters) {
            matches[i++] = matchIndex.applyAsLong(id);
        }
        Arrays.sort(matches);
        // Ascending order: the element at n - quorum is held by at least `quorum` voters.
        return matches[matches.length - quorum(matches.length)];
    }

    /**
     * Whether {@code votes} (voter id to granted) make {@code voters} win, lose, or not decide
     * yet. Votes of non-voters are ignored. An empty set wins, as in etcd.
     */
    public static VoteResult voteResult(Set<Long> voters, Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (long id : voters) {
            Boolean vote = votes.get(id);
            if (vote == null) {
                missing++;
            } else if (vote) {
                granted++;
            }
        }
        int quorum = quorum(voters.size());
        if (granted >= quorum) {
            return VoteResult.WON;
        }
        if (granted + missing >= quorum) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }
}
