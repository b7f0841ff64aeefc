package io.etcetera.transport.netty;

import java.io.InputStream;

/**
 * A reproducible stream of pseudo-random bytes (xorshift64 from a seed), generated on the fly so
 * that a large snapshot never exists in memory.
 */
final class GeneratedData extends InputStream {
    private final long sizeBytes;
    private long state;
    private long position;

    GeneratedData(long seed, long sizeBytes) {
        this.state = seed == 0 ? 1 : seed;
        this.sizeBytes = sizeBytes;
    }

    @Override
    public int read() {
        if (position == sizeBytes) {
            return -1;
        }
        position++;
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        return (int) (state & 0xff);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position == sizeBytes) {
            return -1;
        }
        int n = (int) Math.min(length, sizeBytes - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = (byte) read();
        }
        return n;
    }
}
