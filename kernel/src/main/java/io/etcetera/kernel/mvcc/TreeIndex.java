package io.etcetera.kernel.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The in-memory index from user key to its {@link KeyIndex}, ordered by unsigned bytes as etcd's
 * btree ({@code mvcc/index.go}). It holds revisions only; values live in the backend.
 *
 * <p>Not thread-safe: the store guards it with its read-write lock (reads under the read lock,
 * changes under the write lock).
 */
final class TreeIndex {

    private final NavigableMap<byte[], KeyIndex> keys = new TreeMap<>(Arrays::compareUnsigned);

    /** A live key found by a range read: the key and the revision holding its value. */
    record Entry(byte[] key, Revision revision) {
    }

    /** What {@code key} holds at {@code atMain}, or {@code null} when it did not exist then. */
    KeyIndex.Found get(byte[] key, long atMain) {
        KeyIndex keyIndex = keys.get(key);
        return keyIndex == null ? null : keyIndex.get(atMain);
    }

    /** The keys of {@code range} that existed at {@code atMain}, in key order, with their revisions. */
    List<Entry> range(KeyRange range, long atMain) {
        List<Entry> entries = new ArrayList<>();
        for (KeyIndex keyIndex : indexesIn(range)) {
            KeyIndex.Found found = keyIndex.get(atMain);
            if (found != null) {
                entries.add(new Entry(keyIndex.key(), found.modified()));
            }
        }
        return entries;
    }

    /** Records a put of {@code key} at {@code revision}. */
    void put(byte[] key, Revision revision) {
        keys.computeIfAbsent(key, KeyIndex::new).put(revision);
    }

    /**
     * Records a deletion of {@code key} at {@code revision}.
     *
     * @throws IllegalStateException when the key is not live: callers delete only keys a range
     *     read just found, so anything else is a bug that would corrupt the history
     */
    void tombstone(byte[] key, Revision revision) {
        KeyIndex keyIndex = keys.get(key);
        if (keyIndex == null || !keyIndex.tombstone(revision)) {
            throw new IllegalStateException("tombstone of a key that is not live: " + Arrays.toString(key));
        }
    }

    /**
     * Rebuilds the index from one stored revision while opening the store (revisions arrive in
     * ascending order). A key first seen as a tombstone is skipped: its history was compacted.
     */
    void restore(byte[] key, Revision revision, boolean tombstone, long createRevision, long version) {
        KeyIndex keyIndex = keys.get(key);
        if (keyIndex != null) {
            if (tombstone) {
                keyIndex.tombstone(revision);
            } else {
                keyIndex.put(revision);
            }
        } else if (!tombstone) {
            KeyIndex restored = new KeyIndex(key);
            restored.restore(Revision.ofMain(createRevision), revision, version);
            keys.put(key, restored);
        }
    }

    /**
     * Compacts every key at {@code atMain} (see {@link KeyIndex#compact}) and forgets keys left
     * without any revision.
     *
     * @return the revisions at or before {@code atMain} that stay readable; every other stored
     *     revision at or before {@code atMain} may be removed from the backend
     */
    Set<Revision> compact(long atMain) {
        Set<Revision> keep = new HashSet<>();
        Iterator<KeyIndex> iterator = keys.values().iterator();
        while (iterator.hasNext()) {
            KeyIndex keyIndex = iterator.next();
            keyIndex.compact(atMain, keep);
            if (keyIndex.isEmpty()) {
                iterator.remove();
            }
        }
        return keep;
    }

    /** The key index of {@code key}, or null; for tests. */
    KeyIndex keyIndex(byte[] key) {
        return keys.get(key);
    }

    /** Number of keys with at least one revision in the index, live or not. */
    int size() {
        return keys.size();
    }

    private Collection<KeyIndex> indexesIn(KeyRange range) {
        if (range.isSingleKey()) {
            KeyIndex keyIndex = keys.get(range.key());
            return keyIndex == null ? List.of() : List.of(keyIndex);
        }
        if (range.isOpenEnded()) {
            return keys.tailMap(range.key(), true).values();
        }
        if (Arrays.compareUnsigned(range.key(), range.end()) >= 0) {
            return List.of();
        }
        return keys.subMap(range.key(), true, range.end(), false).values();
    }
}
