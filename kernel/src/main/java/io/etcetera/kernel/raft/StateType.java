package io.etcetera.kernel.raft;

/** The role a Raft node plays in its current term (Raft paper, section 5.1). */
public enum StateType {
    FOLLOWER,
    CANDIDATE,
    LEADER
}
