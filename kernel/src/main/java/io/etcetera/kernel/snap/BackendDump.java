package io.etcetera.kernel.snap;

import io.etcetera.spi.storage.Backend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.ReadView;
import io.etcetera.spi.storage.WriteBatch;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The whole backend as one engine-neutral stream: what a leader sends a follower behind its
 * compacted log, and what {@code etcdctl snapshot save} will write. Because it is logical (bucket,
 * key, value), a member may restore it into a different storage engine than the one that dumped it.
 *
 * <p>Format, integers big-endian: the magic {@code "etcdump1"} (8 bytes); then one record per key,
 * bucket by bucket in {@link Bucket} order and keys in ascending unsigned byte order: the bucket's
 * {@link Bucket#tag()} (1 byte, never 0), key length (4 bytes), value length (4 bytes), key,
 * value; then the end record: tag 0, the number of key records (8 bytes) and the CRC32C of every
 * byte before the CRC (4 bytes). Nothing may follow.
 *
 * <p>{@link #restore} reads the whole stream into ONE {@link WriteBatch} that first empties every
 * bucket ({@link WriteBatch#deleteRange}) and commits it only after the end record checked out:
 * the backend holds either its old contents or the dump's, never a mix, also after a crash. The
 * batch holds the whole dump until commit (native memory in RocksDB), fine for etcd-sized data
 * (the default quota is 2 GiB).
 *
 * <p>Stateless; thread-safe.
 */
public final class BackendDump {

    private static final byte[] MAGIC = {'e', 't', 'c', 'd', 'u', 'm', 'p', '1'};
    private static final byte END_TAG = 0;
    /** The largest key or value a record may claim, in bytes; a longer one is damage. */
    static final int MAX_FIELD_BYTES = 256 * 1024 * 1024;

    /** A dump that cannot be restored: truncated, damaged or not a dump at all. */
    public static final class CorruptDumpException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptDumpException(String message) {
            super(message);
        }
    }

    /**
     * What a dump holds.
     *
     * @param records key records (all buckets)
     * @param bytes the dump's length, in bytes
     */
    public record Summary(long records, long bytes) {
    }

    private BackendDump() {
    }

    /**
     * Writes every key of every bucket of {@code view} (take a {@link Backend#snapshot()} for a
     * point-in-time dump) to {@code out}, buffered; flushes but does not close {@code out}.
     *
     * @throws IOException when {@code out} fails
     * @throws io.etcetera.spi.storage.StorageException when the engine fails to read
     */
    public static Summary write(ReadView view, OutputStream out) throws IOException {
        CountingOutputStream counting = new CountingOutputStream(out);
        CheckedOutputStream checked = new CheckedOutputStream(counting, new CRC32C());
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(checked, 64 * 1024));
        data.write(MAGIC);
        long[] records = {0};
        for (Bucket bucket : Bucket.values()) {
            try {
                view.scan(bucket, new byte[0], null, (key, value) -> {
                    try {
                        data.writeByte(bucket.tag());
                        data.writeInt(key.length);
                        data.writeInt(value.length);
                        data.write(key);
                        data.write(value);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    records[0]++;
                    return true;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        data.writeByte(END_TAG);
        data.writeLong(records[0]);
        data.flush();
        int crc = (int) checked.getChecksum().getValue();
        data.writeInt(crc);
        data.flush();
        return new Summary(records[0], counting.count);
    }

    /**
     * Reads {@code in} to its end and checks it is a whole, intact dump, without writing anything.
     *
     * @throws CorruptDumpException when it is not
     * @throws IOException when {@code in} fails
     */
    public static Summary verify(InputStream in) throws IOException {
        return read(in, null);
    }

    /**
     * Replaces the whole contents of {@code backend} with the dump read from {@code in}, in one
     * atomic batch committed only once the dump is verified to its end.
     *
     * @throws CorruptDumpException when the dump is truncated or damaged; the backend is unchanged
     * @throws IOException when {@code in} fails; the backend is unchanged
     * @throws io.etcetera.spi.storage.StorageException when the engine fails to commit
     */
    public static Summary restore(Backend backend, InputStream in) throws IOException {
        return restore(backend, in, batch -> { });
    }

    /**
     * {@link #restore(Backend, InputStream)}, with the writes {@code alsoWrite} adds after the
     * dump's in the same batch (a member keeps its own id that way).
     */
    public static Summary restore(Backend backend, InputStream in, Consumer<WriteBatch> alsoWrite) throws IOException {
        try (WriteBatch batch = backend.newBatch()) {
            for (Bucket bucket : Bucket.values()) {
                batch.deleteRange(bucket, new byte[0], null);
            }
            Summary summary = read(in, batch);
            alsoWrite.accept(batch);
            batch.commit();
            return summary;
        }
    }

    /** Reads and checks the dump; puts its records into {@code batch} when there is one. */
    private static Summary read(InputStream in, WriteBatch batch) throws IOException {
        CountingInputStream counting = new CountingInputStream(in);
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(counting, 64 * 1024), new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        try {
            byte[] magic = readField(data, MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptDumpException("not a backend dump: bad magic");
            }
            long records = 0;
            while (true) {
                byte tag = data.readByte();
                if (tag == END_TAG) {
                    break;
                }
                Bucket bucket = bucketOf(tag);
                int keyLength = fieldLength(data.readInt(), "key");
                int valueLength = fieldLength(data.readInt(), "value");
                byte[] key = readField(data, keyLength);
                byte[] value = readField(data, valueLength);
                if (key.length == 0) {
                    throw new CorruptDumpException("record " + records + " has an empty key");
                }
                if (batch != null) {
                    batch.put(bucket, key, value);
                }
                records++;
            }
            long claimed = data.readLong();
            int expected = (int) checked.getChecksum().getValue();
            int crc = data.readInt();
            if (claimed != records) {
                throw new CorruptDumpException("dump claims " + claimed + " records but holds " + records);
            }
            if (crc != expected) {
                throw new CorruptDumpException("dump CRC mismatch");
            }
            if (data.read() != -1) {
                throw new CorruptDumpException("bytes follow the end of the dump");
            }
            return new Summary(records, counting.count);
        } catch (EOFException e) {
            throw new CorruptDumpException("dump truncated after " + counting.count + " bytes");
        }
    }

    private static byte[] readField(DataInputStream data, int length) throws IOException {
        byte[] field = new byte[length];
        data.readFully(field);
        return field;
    }

    private static Bucket bucketOf(byte tag) throws CorruptDumpException {
        for (Bucket bucket : Bucket.values()) {
            if (bucket.tag() == tag) {
                return bucket;
            }
        }
        throw new CorruptDumpException("unknown bucket tag " + tag);
    }

    private static int fieldLength(int length, String field) throws CorruptDumpException {
        if (length < 0 || length > MAX_FIELD_BYTES) {
            throw new CorruptDumpException(field + " length " + Integer.toUnsignedLong(length) + " out of range");
        }
        return length;
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
