package io.etcetera.kernel.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the records of one WAL segment and tells a torn tail from corruption.
 *
 * <p>Record frame, all integers big-endian: {@code length} (4 bytes, unsigned, payload bytes),
 * {@code crc} (4 bytes, CRC32C over the type byte and the payload), {@code type} (1 byte, a
 * {@link RecordType} tag), then {@code payload}.
 *
 * <p>A damaged record (incomplete header, impossible length, payload past the end of the file,
 * CRC mismatch) is a <em>torn write</em> only when it is in the last segment and nothing but
 * zeros follows it (or its claimed extent) or its claimed extent reaches the end of the file: a crash in the middle of an
 * append leaves exactly that. Anywhere else it is corruption. A record whose CRC matches but
 * whose type or payload cannot be decoded is always corruption.
 *
 * <p>Segments are preallocated ({@link Wal}): from the first record header that is all zeros
 * (a zero length and CRC can never frame a record, since the CRC covers the non-zero type byte)
 * the rest of the file is zeros and the segment ends cleanly there.
 *
 * <p>Stateless; thread-safe.
 */
final class SegmentReader {

    /** Bytes of the record frame before the payload: length, CRC, type. */
    static final int HEADER_BYTES = 4 + 4 + 1;
    /** The largest payload a record may claim, in bytes; a longer one is damage. */
    static final long MAX_PAYLOAD_BYTES = 256L * 1024 * 1024;

    private SegmentReader() {
    }

    /** Receives each intact record of a segment, in order. */
    @FunctionalInterface
    interface RecordVisitor {
        /**
         * @param offset the record's byte offset in the segment, for error messages
         * @throws WalCorruptedException when the payload cannot be decoded
         */
        void visit(RecordType type, byte[] payload, long offset) throws WalCorruptedException;
    }

    /**
     * The outcome of reading a segment.
     *
     * @param validBytes the length of the intact prefix, in bytes
     * @param fileBytes the length of the file, in bytes
     * @param tornTail what was wrong with the torn final record, {@code null} when intact
     */
    record Result(long validBytes, long fileBytes, String tornTail) {
    }

    /**
     * Visits every intact record of {@code segment}.
     *
     * @param lastSegment whether this is the WAL's last segment (only it may have a torn tail)
     * @throws WalCorruptedException on damage that is not a torn tail
     */
    static Result read(Path segment, boolean lastSegment, RecordVisitor visitor) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int position = 0;
        while (position < bytes.length) {
            if (zerosFrom(bytes, position, Math.min(bytes.length, position + HEADER_BYTES)) && zerosFrom(bytes, position)) {
                return new Result(position, bytes.length, null);
            }
            String damage = null;
            long extent = HEADER_BYTES;
            if (bytes.length - position < HEADER_BYTES) {
                damage = "incomplete record header";
            } else {
                long length = Integer.toUnsignedLong(buffer.getInt(position));
                int crc = buffer.getInt(position + 4);
                extent = HEADER_BYTES + length;
                if (length > MAX_PAYLOAD_BYTES) {
                    damage = "record length " + length + " exceeds the limit of " + MAX_PAYLOAD_BYTES + " bytes";
                } else if (position + extent > bytes.length) {
                    damage = "record of " + length + " bytes runs past the end of the file";
                } else if (crc(bytes, position + 8, (int) length + 1) != crc) {
                    damage = "CRC mismatch";
                }
            }
            if (damage != null) {
                // In a preallocated segment a torn append is followed by the zeros of the preallocation.
                boolean atTail = position + extent >= bytes.length || zerosFrom(bytes, position)
                        || zerosFrom(bytes, (int) (position + extent));
                if (lastSegment && atTail) {
                    return new Result(position, bytes.length, damage);
                }
                throw new WalCorruptedException(segment, position, damage);
            }
            RecordType type = RecordType.of(bytes[position + 8]);
            if (type == null) {
                throw new WalCorruptedException(segment, position, "unknown record type " + bytes[position + 8]);
            }
            visitor.visit(type, Arrays.copyOfRange(bytes, position + HEADER_BYTES, (int) (position + extent)), position);
            position += (int) extent;
        }
        return new Result(position, bytes.length, null);
    }

    /** Frames {@code payload} as a record of {@code type}. */
    static byte[] frame(RecordType type, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        buffer.putInt(payload.length);
        buffer.putInt(0);
        buffer.put(type.tag());
        buffer.put(payload);
        byte[] record = buffer.array();
        buffer.putInt(4, crc(record, 8, payload.length + 1));
        return record;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static boolean zerosFrom(byte[] bytes, int position) {
        return zerosFrom(bytes, position, bytes.length);
    }

    private static boolean zerosFrom(byte[] bytes, int position, int end) {
        for (int i = position; i < end; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
