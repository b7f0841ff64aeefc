package io.etcetera.kernel.raft.quorum;

/** The outcome of an election so far (etcd/raft's {@code quorum.VoteResult}). */
public enum VoteResult {
    /** Not decided: the missing votes could still go either way. */
    PENDING,
    /** A quorum rejected. */
    LOST,
    /** A quorum granted. */
    WON
}
