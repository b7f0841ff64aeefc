package io.etcetera.kernel.mvcc;

import com.google.protobuf.ByteString;
import java.util.Arrays;

/**
 * The keys a request names: one key, or the half-open interval {@code [key, end)}, or every key
 * {@code >= key}. Keys compare as unsigned bytes.
 *
 * <p>On the wire (etcd {@code RangeRequest}, {@code DeleteRangeRequest}, {@code Compare}) an
 * empty {@code range_end} means the single key and the one byte {@code "\0"} means "all keys
 * {@code >= key}" (etcd {@code etcdserver/apply.go} mkGteRange); {@link #of} decodes that.
 * Immutable; the arrays are never modified.
 *
 * @param key the first key (inclusive)
 * @param end {@code null} for the single key {@code key}; empty for no upper bound; otherwise
 *     the exclusive upper bound
 */
record KeyRange(byte[] key, byte[] end) {

    private static final byte[] NO_UPPER_BOUND = new byte[0];

    /** Decodes a request's {@code key} and {@code range_end}. */
    static KeyRange of(ByteString key, ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return new KeyRange(key.toByteArray(), null);
        }
        if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
            return new KeyRange(key.toByteArray(), NO_UPPER_BOUND);
        }
        return new KeyRange(key.toByteArray(), rangeEnd.toByteArray());
    }

    /** The single key {@code key}. */
    static KeyRange single(byte[] key) {
        return new KeyRange(key, null);
    }

    /** Whether this range names exactly one key. */
    boolean isSingleKey() {
        return end == null;
    }

    /** Whether this range has no upper bound. */
    boolean isOpenEnded() {
        return end != null && end.length == 0;
    }

    /** Whether {@code candidate} lies in this range. */
    boolean contains(byte[] candidate) {
        if (isSingleKey()) {
            return Arrays.equals(key, candidate);
        }
        return Arrays.compareUnsigned(candidate, key) >= 0
                && (isOpenEnded() || Arrays.compareUnsigned(candidate, end) < 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRange range
                && Arrays.equals(key, range.key) && Arrays.equals(end, range.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "KeyRange[" + Arrays.toString(key) + ", " + (end == null ? "single" : Arrays.toString(end)) + "]";
    }
}
