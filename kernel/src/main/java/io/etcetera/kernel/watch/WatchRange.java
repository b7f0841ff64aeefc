package io.etcetera.kernel.watch;

import com.google.protobuf.ByteString;
import java.util.Arrays;

/**
 * The keys a watcher watches, decoded from a {@code WatchCreateRequest} as etcd's
 * {@code v3rpc/watch.go} does: an empty key is {@code "\0"} (the smallest key); an empty
 * {@code range_end} is the single key; {@code "\0"} is every key {@code >= key}; otherwise the
 * half-open interval {@code [key, range_end)}. Keys compare as unsigned bytes. Immutable.
 *
 * @param key the first key
 * @param end {@code null} for the single key, empty for no upper bound, else the exclusive bound
 */
record WatchRange(byte[] key, byte[] end) {

    /** Decodes a create request's {@code key} and {@code range_end}. */
    static WatchRange of(ByteString key, ByteString rangeEnd) {
        byte[] start = key.isEmpty() ? new byte[] {0} : key.toByteArray();
        if (rangeEnd.isEmpty()) {
            return new WatchRange(start, null);
        }
        if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
            return new WatchRange(start, new byte[0]);
        }
        return new WatchRange(start, rangeEnd.toByteArray());
    }

    /** Whether this is a single key. */
    boolean isSingleKey() {
        return end == null;
    }

    /**
     * Whether the range holds no key: a bounded end not after the key (etcd
     * {@code ErrEmptyWatcherRange}).
     */
    boolean isEmpty() {
        return end != null && end.length != 0 && Arrays.compareUnsigned(key, end) >= 0;
    }

    /** Whether {@code candidate} is watched. */
    boolean contains(byte[] candidate) {
        if (end == null) {
            return Arrays.equals(key, candidate);
        }
        return Arrays.compareUnsigned(candidate, key) >= 0
                && (end.length == 0 || Arrays.compareUnsigned(candidate, end) < 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WatchRange range && Arrays.equals(key, range.key) && Arrays.equals(end, range.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "WatchRange[" + ByteString.copyFrom(key).toStringUtf8() + ", "
                + (end == null ? "single" : ByteString.copyFrom(end).toStringUtf8()) + "]";
    }
}
