package io.etcetera.kernel.mvcc;

import java.util.ArrayList;
import java.util.List;

/**
 * One life of a key: from its creation to its deletion (tombstone, the last revision of every
 * generation but the newest) or to now. Source: etcd {@code mvcc/key_index.go} (generation).
 *
 * <p>{@code version} counts the puts of this generation (a tombstone counts too, as in etcd, but
 * is never read back as a version). Not thread-safe: owned by its {@link KeyIndex}.
 */
final class Generation {

    private Revision created;
    private long version;
    /**
     * Most keys hold one or two revisions between compactions: room for two costs no more than
     * room for one (24 bytes with compressed references), where the default of ten costs 56.
     */
    private final List<Revision> revisions = new ArrayList<>(2);

    Generation() {
    }

    private Generation(Revision created, long version, Revision modified) {
        this.created = created;
        this.version = version;
        this.revisions.add(modified);
    }

    /** A generation rebuilt from one stored revision whose value says its creation and version. */
    static Generation restored(Revision created, long version, Revision modified) {
        return new Generation(created, version, modified);
    }

    boolean isEmpty() {
        return revisions.isEmpty();
    }

    /** The revision that created this generation (its first put). */
    Revision created() {
        return created;
    }

    long version() {
        return version;
    }

    /** The revisions of this generation, oldest first; the caller must not modify the list. */
    List<Revision> revisions() {
        return revisions;
    }

    Revision first() {
        return revisions.get(0);
    }

    Revision last() {
        return revisions.get(revisions.size() - 1);
    }

    void append(Revision revision) {
        if (revisions.isEmpty()) {
            created = revision;
        }
        revisions.add(revision);
        version++;
    }

    /**
     * The position of the newest revision with {@code main <= atMain}, or -1 when every
     * revision of the generation is newer.
     */
    int lastIndexAtOrBefore(long atMain) {
        for (int i = revisions.size() - 1; i >= 0; i--) {
            if (revisions.get(i).main() <= atMain) {
                return i;
            }
        }
        return -1;
    }

    /** Drops the revisions before position {@code from}. */
    void dropBefore(int from) {
        revisions.subList(0, from).clear();
    }
}
