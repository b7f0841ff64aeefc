package io.etcetera.transport.netty;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The data of an inbound snapshot as the handler reads it: chunks handed over by the event loop,
 * checked for size and CRC32C at the end. Memory stays bounded: when {@link #PAUSE_READING_CHUNKS}
 * chunks wait, the connection stops reading from the socket (TCP then holds back the sender) until
 * the reader is down to {@link #RESUME_READING_CHUNKS}.
 *
 * <p>Thread-safety: the {@code on*} methods are called by the connection's event loop, the
 * {@link InputStream} methods by one reader thread.
 */
final class ReceivedSnapshot extends InputStream {
    /** Waiting chunks at which the connection stops reading. */
    static final int PAUSE_READING_CHUNKS = 16;
    /** Waiting chunks at which it reads again. */
    static final int RESUME_READING_CHUNKS = 4;

    private sealed interface Item permits Chunk, End, Failed {
    }

    private record Chunk(byte[] data) implements Item {
    }

    private record End(int crc32c) implements Item {
    }

    private record Failed(String reason) implements Item {
    }

    private final Channel channel;
    private final long sizeBytes;
    private final long stallTimeoutMs;
    private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final CRC32C crc = new CRC32C();
    private volatile boolean closed;

    // reader state
    private byte[] current = new byte[0];
    private int position;
    private long receivedBytes;
    private boolean verifiedEnd;

    ReceivedSnapshot(Channel channel, long sizeBytes, long stallTimeoutMs) {
        this.channel = channel;
        this.sizeBytes = sizeBytes;
        this.stallTimeoutMs = stallTimeoutMs;
    }

    /** Event loop: the next chunk arrived. */
    void onChunk(byte[] data) {
        if (closed) {
            return;
        }
        items.add(new Chunk(data));
        if (items.size() >= PAUSE_READING_CHUNKS) {
            channel.config().setAutoRead(false);
        }
    }

    /** Event loop: the sender says all data was sent, with its CRC32C. */
    void onEnd(int crc32c) {
        items.add(new End(crc32c));
    }

    /** Event loop: the connection broke before the end. */
    void onFailure(String reason) {
        items.add(new Failed(reason));
    }

    /** Whether the reader reached the verified end of the data. */
    boolean verifiedEnd() {
        return verifiedEnd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("snapshot stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        while (position == current.length) {
            if (verifiedEnd) {
                return -1;
            }
            takeNext();
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        crc.update(current, position, n);
        position += n;
        return n;
    }

    private void takeNext() throws IOException {
        Item item;
        try {
            item = items.poll(stallTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while receiving a snapshot", e);
        }
        if (item == null) {
            throw new IOException("snapshot stalled: no data for " + stallTimeoutMs + " ms");
        }
        if (item instanceof Chunk chunk) {
            receivedBytes += chunk.data().length;
            if (receivedBytes > sizeBytes) {
                throw new IOException("snapshot longer than its announced " + sizeBytes + " bytes");
            }
            current = chunk.data();
            position = 0;
            if (items.size() <= RESUME_READING_CHUNKS && !channel.config().isAutoRead()) {
                resumeReading();
            }
        } else if (item instanceof End end) {
            if (receivedBytes != sizeBytes) {
                throw new IOException("snapshot truncated: " + receivedBytes + " of " + sizeBytes + " bytes");
            }
            if ((int) crc.getValue() != end.crc32c()) {
                throw new IOException("snapshot damaged: CRC32C mismatch");
            }
            verifiedEnd = true;
        } else {
            throw new IOException("snapshot transfer failed: " + ((Failed) item).reason());
        }
    }

    private void resumeReading() {
        try {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
        } catch (RejectedExecutionException e) {
            // The transport is closing; the connection goes with it and nothing is left to read.
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        items.clear();
        resumeReading();
    }
}
