/** A leader's bookkeeping: membership, each member's replication progress, inflight windows, votes. */
package io.etcetera.kernel.raft.tracker;
