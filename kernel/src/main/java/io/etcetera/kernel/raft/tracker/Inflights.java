package io.etcetera.kernel.raft.tracker;

/**
 * The MsgApps sent to one follower and not yet acknowledged, as the last index each carried
 * (etcd/raft's {@code tracker.Inflights}): a ring buffer of at most {@code capacity} entries. A
 * leader stops sending to a follower whose window is full. Not thread-safe.
 */
public final class Inflights {

    private final long[] buffer;
    private int start;
    private int count;

    /** A window of {@code capacity} messages ({@code maxInflightMessages}). */
    public Inflights(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("inflight capacity must be positive, got " + capacity);
        }
        this.buffer = new long[capacity];
    }

    /** Records a message whose last entry is {@code lastIndex}; indexes must increase. */
    public void add(long lastIndex) {
        if (full()) {
            throw new IllegalStateException("adding an inflight message to a full window");
        }
        buffer[(start + count) % buffer.length] = lastIndex;
        count++;
    }

    /** Frees the messages whose last index is at most {@code index} (acknowledged). */
    public void freeLE(long index) {
        while (count > 0 && buffer[start] <= index) {
            start = (start + 1) % buffer.length;
            count--;
        }
    }

    /** Frees the oldest message (a heartbeat response proves the follower is alive). */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(buffer[start]);
        }
    }

    public boolean full() {
        return count == buffer.length;
    }

    public int count() {
        return count;
    }

    public void reset() {
        start = 0;
        count = 0;
    }
}
