package io.etcetera.kernel.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The revisions of one user key, grouped in {@link Generation generations}: etcd's
 * {@code keyIndex} ({@code mvcc/key_index.go}). The newest generation is empty after a deletion
 * and fills again when the key is re-created.
 *
 * <p>Example: put at 1, put at 2, delete at 3, put at 4 gives generations
 * {@code {1, 2, 3(tombstone)}, {4}}. Not thread-safe: guarded by the store's lock.
 */
final class KeyIndex {

    private final byte[] key;
    private Revision modified = new Revision(0, 0);
    /** Usually one generation, two after a delete: sized as {@link Generation}'s revisions. */
    private final List<Generation> generations = new ArrayList<>(2);

    /** A key index with no revision yet (one empty generation). */
    KeyIndex(byte[] key) {
        this.key = key;
        generations.add(new Generation());
    }

    byte[] key() {
        return key;
    }

    /** What a read of this key at some revision finds. */
    record Found(Revision modified, Revision created, long version) {
    }

    /** True when the key has no revision left (only after compaction or before a first put). */
    boolean isEmpty() {
        return generations.size() == 1 && generations.get(0).isEmpty();
    }

    /**
     * Records a put at {@code revision}.
     *
     * @throws IllegalStateException when {@code revision} is not after the last one: revisions
     *     only grow, and breaking that would corrupt the history
     */
    void put(Revision revision) {
        if (!revision.isAfter(modified)) {
            throw new IllegalStateException("put at " + revision + " not after last modification " + modified);
        }
        newest().append(revision);
        modified = revision;
    }

    /** Rebuilds the index of a key from its oldest stored revision (after compaction). */
    void restore(Revision created, Revision lastModified, long version) {
        if (!isEmpty()) {
            throw new IllegalStateException("restore on a non-empty key index");
        }
        generations.set(0, Generation.restored(created, version, lastModified));
        modified = lastModified;
    }

    /**
     * Records a deletion at {@code revision}: ends the current generation and opens a new one.
     *
     * @return false when the key is not live (its newest generation is empty); nothing changes
     */
    boolean tombstone(Revision revision) {
        if (newest().isEmpty()) {
            return false;
        }
        put(revision);
        generations.add(new Generation());
        return true;
    }

    /**
     * The live revision of the key as of main revision {@code atMain}.
     *
     * @return what was found, or {@code null} when the key did not exist at {@code atMain}
     */
    Found get(long atMain) {
        Generation generation = generationAt(atMain);
        if (generation == null) {
            return null;
        }
        int index = generation.lastIndexAtOrBefore(atMain);
        if (index < 0) {
            return null;
        }
        long version = generation.version() - (generation.revisions().size() - index - 1);
        return new Found(generation.revisions().get(index), generation.created(), version);
    }

    /** The generation alive at {@code atMain}, or null when the key was deleted or not yet created. */
    private Generation generationAt(long atMain) {
        int newest = generations.size() - 1;
        for (int i = newest; i >= 0; i--) {
            Generation generation = generations.get(i);
            if (generation.isEmpty()) {
                continue;
            }
            if (i != newest && generation.last().main() <= atMain) {
                // the tombstone that ends this generation is at or before atMain
                return null;
            }
            if (generation.first().main() <= atMain) {
                return generation;
            }
        }
        return null;
    }

    /**
     * Drops the revisions that compaction at {@code atMain} makes unreachable: every generation
     * whose tombstone is at or before {@code atMain}, and in the generation alive at
     * {@code atMain} every revision before the newest one at or before it. A tombstone left as the
     * only revision of its generation is dropped too, so a deleted key vanishes.
     *
     * @param keep receives the revision at or before {@code atMain} that stays readable, if any
     */
    void compact(long atMain, Set<Revision> keep) {
        int generationIndex = 0;
        while (generationIndex < generations.size() - 1
                && generations.get(generationIndex).last().main() <= atMain) {
            generationIndex++;
        }
        Generation generation = generations.get(generationIndex);
        if (!generation.isEmpty()) {
            int index = generation.lastIndexAtOrBefore(atMain);
            if (index >= 0) {
                generation.dropBefore(index);
                keep.add(generation.first());
            }
            boolean onlyTombstoneLeft = generation.revisions().size() == 1 && generationIndex != generations.size() - 1;
            if (onlyTombstoneLeft) {
                keep.remove(generation.first());
                generationIndex++;
            }
        }
        generations.subList(0, generationIndex).clear();
    }

    /** Number of generations, the newest (possibly empty) included; for tests. */
    int generationCount() {
        return generations.size();
    }

    private Generation newest() {
        return generations.get(generations.size() - 1);
    }
}
