package io.etcetera.kernel.mvcc;

import java.nio.ByteBuffer;

/**
 * An MVCC revision: {@code main} is the store-wide revision taken by one write txn, {@code sub}
 * orders the changes inside that txn (0, 1, 2...). Ordered by main, then sub.
 *
 * <p>In the backend's {@code KEY} bucket a revision is a 17-byte key: 8-byte big-endian main,
 * the byte {@code '_'}, 8-byte big-endian sub; a tombstone (a deletion) carries one more byte,
 * {@code 't'}. Big-endian keeps the backend's unsigned byte order equal to revision order.
 * Source: etcd {@code mvcc/revision.go} and {@code mvcc/kvstore.go} (markTombstone).
 * Immutable.
 */
record Revision(long main, long sub) implements Comparable<Revision> {

    /** Length in bytes of an encoded revision without the tombstone mark. */
    static final int KEY_BYTES = 8 + 1 + 8;
    /** Length in bytes of an encoded tombstone revision. */
    static final int TOMBSTONE_KEY_BYTES = KEY_BYTES + 1;

    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE_MARK = 't';

    /** The first revision of a main revision: {@code (main, 0)}. */
    static Revision ofMain(long main) {
        return new Revision(main, 0);
    }

    /** The 17-byte backend key of this revision. */
    byte[] toKey() {
        return ByteBuffer.allocate(KEY_BYTES).putLong(main).put(SEPARATOR).putLong(sub).array();
    }

    /** The 18-byte backend key of this revision marked as a tombstone. */
    byte[] toTombstoneKey() {
        return ByteBuffer.allocate(TOMBSTONE_KEY_BYTES)
                .putLong(main).put(SEPARATOR).putLong(sub).put(TOMBSTONE_MARK).array();
    }

    /**
     * Decodes a backend key written by {@link #toKey()} or {@link #toTombstoneKey()}.
     *
     * @throws IllegalArgumentException when {@code key} is shorter than 17 bytes
     */
    static Revision fromKey(byte[] key) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("revision key of " + key.length + " bytes, expected " + KEY_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(key);
        long main = buffer.getLong(0);
        long sub = buffer.getLong(9);
        return new Revision(main, sub);
    }

    /** Whether a backend key carries the tombstone mark. */
    static boolean isTombstoneKey(byte[] key) {
        return key.length == TOMBSTONE_KEY_BYTES && key[KEY_BYTES] == TOMBSTONE_MARK;
    }

    @Override
    public int compareTo(Revision other) {
        int byMain = Long.compare(main, other.main);
        return byMain != 0 ? byMain : Long.compare(sub, other.sub);
    }

    /** Whether this revision comes strictly after {@code other}. */
    boolean isAfter(Revision other) {
        return compareTo(other) > 0;
    }
}
