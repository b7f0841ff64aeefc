package io.etcetera.kernel.wal;

/** The kinds of WAL record, with their one-byte tag on disk (etcd's WAL record types). */
enum RecordType {
    /** A serialized {@code raftpb.Entry}. */
    ENTRY((byte) 2),
    /** A serialized {@code raftpb.HardState}. */
    HARD_STATE((byte) 3),
    /**
     * A snapshot marker, as etcd's {@code walpb.Snapshot}: a serialized {@code raftpb.SnapshotMetadata}
     * holding the index and term only; entries after it continue at index + 1.
     */
    SNAPSHOT((byte) 5);

    private final byte tag;

    RecordType(byte tag) {
        this.tag = tag;
    }

    byte tag() {
        return tag;
    }

    /** The type with {@code tag}, or {@code null} for an unknown tag. */
    static RecordType of(byte tag) {
        for (RecordType type : values()) {
            if (type.tag == tag) {
                return type;
            }
        }
        return null;
    }
}
