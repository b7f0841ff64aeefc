package io.etcetera.kernel.raft;

/** The role a Raft node plays in its current term (Raft paper, section 5.1; pre-vote, section 9.6 of the dissertation). */
public enum StateType {
    FOLLOWER,
    /** Asking for pre-votes at term + 1 without raising its term (etcd/raft's {@code StatePreCandidate}). */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
