package io.etcetera.kernel.wal;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WAL segment's file name, as etcd names them: {@code <seq>-<index>.wal} with both numbers in
 * 16 hex digits; {@code seq} counts segments from 0 and {@code index} is the index of the first
 * entry the segment may hold.
 */
record SegmentName(long seq, long firstIndex) implements Comparable<SegmentName> {

    private static final Pattern PATTERN = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

    /** The parsed name of {@code file}, or {@code null} when it is not a segment. */
    static SegmentName parse(Path file) {
        Matcher m = PATTERN.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        return new SegmentName(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
    }

    String fileName() {
        return String.format("%016x-%016x.wal", seq, firstIndex);
    }

    @Override
    public int compareTo(SegmentName other) {
        return Long.compareUnsigned(seq, other.seq);
    }
}
