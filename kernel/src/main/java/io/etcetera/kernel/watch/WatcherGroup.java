package io.etcetera.kernel.watch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of watchers indexed for "who watches this key" (etcd {@code mvcc/watcher_group.go}):
 * single-key watchers in a hash map by key, range watchers in a list. A key's lookup costs one
 * hash probe plus a scan of the range watchers; etcd keeps the ranges in an interval tree, which
 * is worth it only with many range watchers.
 *
 * <p>Not thread-safe: guarded by the watchable store's lock.
 */
final class WatcherGroup {

    private final Map<ByteBuffer, Set<Watcher>> byKey = new HashMap<>();
    private final Set<Watcher> ranges = new LinkedHashSet<>();
    private final Set<Watcher> all = new LinkedHashSet<>();

    void add(Watcher watcher) {
        if (!all.add(watcher)) {
            throw new IllegalStateException(watcher + " added twice");
        }
        if (watcher.range().isSingleKey()) {
            byKey.computeIfAbsent(ByteBuffer.wrap(watcher.range().key()), k -> new LinkedHashSet<>()).add(watcher);
        } else {
            ranges.add(watcher);
        }
    }

    /** Removes {@code watcher}; returns whether it was here. */
    boolean remove(Watcher watcher) {
        if (!all.remove(watcher)) {
            return false;
        }
        if (watcher.range().isSingleKey()) {
            ByteBuffer key = ByteBuffer.wrap(watcher.range().key());
            Set<Watcher> set = byKey.get(key);
            set.remove(watcher);
            if (set.isEmpty()) {
                byKey.remove(key);
            }
        } else {
            ranges.remove(watcher);
        }
        return true;
    }

    /** The watchers that watch {@code key}. */
    List<Watcher> watching(byte[] key) {
        List<Watcher> found = new ArrayList<>(byKey.getOrDefault(ByteBuffer.wrap(key), Set.of()));
        for (Watcher watcher : ranges) {
            if (watcher.range().contains(key)) {
                found.add(watcher);
            }
        }
        return found;
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    int size() {
        return all.size();
    }

    /** Up to {@code max} watchers, in insertion order (a fresh list). */
    List<Watcher> first(int max) {
        List<Watcher> chosen = new ArrayList<>(Math.min(max, all.size()));
        for (Watcher watcher : all) {
            if (chosen.size() == max) {
                break;
            }
            chosen.add(watcher);
        }
        return chosen;
    }
}
