package io.etcetera.kernel.wal;

/** The kinds of WAL record, with their one-byte tag on disk (etcd's WAL record types). */
enum RecordType {
    /** A serialized {@code raftpb.Entry}. */
    ENTRY((byte) 2),
    /** A serialized {@code raftpb.HardState}. */
    HARD_STATE((byte) 3);

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
