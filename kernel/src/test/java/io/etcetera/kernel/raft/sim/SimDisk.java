package io.etcetera.kernel.raft.sim;

import io.etcetera.kernel.raft.MemoryStorage;
import io.etcetera.kernel.raft.Ready;
import io.etcetera.kernel.raft.pb.ConfState;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * A member's disk: what was fsync'd survives a crash, what was only written does not. A Ready
 * with {@code mustSync} syncs everything written before it; one without (a commit index change)
 * stays in the page cache until the next sync.
 */
final class SimDisk {

    private final MemoryStorage synced = new MemoryStorage();
    private final List<Ready> unsynced = new ArrayList<>();

    void write(Ready ready) {
        if (ready.hardState() == null && ready.entries().isEmpty() && ready.snapshot() == null) {
            return;
        }
        unsynced.add(ready);
        if (ready.mustSync()) {
            sync();
        }
    }

    private void sync() {
        for (Ready ready : unsynced) {
            if (ready.snapshot() != null) {
                synced.applySnapshot(ready.snapshot());
            }
            synced.append(ready.entries());
            if (ready.hardState() != null) {
                synced.setHardState(ready.hardState());
            }
        }
        unsynced.clear();
    }

    /** Saves a snapshot the member took at {@code index} (synced, as etcd's snap files) and purges the WAL. */
    void saveSnapshot(long index, ConfState confState, ByteString data, long compactIndex) {
        sync();
        synced.createSnapshot(index, confState, data);
        synced.compact(compactIndex);
    }

    /** A crash: the page cache is gone. */
    void crash() {
        unsynced.clear();
    }

    /** What a restarted member reads back. */
    MemoryStorage load() {
        return synced.copy();
    }
}
