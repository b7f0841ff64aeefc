package io.etcetera.spi.transport;

/** The outcome of an outbound snapshot transfer (etcd raft's {@code SnapshotStatus}). */
public enum SnapshotStatus {
    /** The peer received the whole snapshot and its handler accepted it. */
    FINISH,
    /** The transfer failed (connection, timeout, source error, checksum, refusal by the peer). */
    FAILURE
}
