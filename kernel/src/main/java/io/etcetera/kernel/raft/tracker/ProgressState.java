package io.etcetera.kernel.raft.tracker;

/** How a leader replicates to one follower (etcd/raft's {@code tracker.StateType}). */
public enum ProgressState {
    /** One MsgApp at a time until the follower's match index is found. */
    PROBE,
    /** Optimistic streaming of MsgApps, bounded by the inflight window. */
    REPLICATE,
    /** A snapshot is on its way; nothing else is sent until it is acknowledged or fails. */
    SNAPSHOT
}
