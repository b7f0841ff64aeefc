/** Majority quorum math for Raft: committed index and election outcome. Pure; no state. */
package io.etcetera.kernel.raft.quorum;
