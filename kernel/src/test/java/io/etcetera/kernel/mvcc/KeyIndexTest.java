package io.etcetera.kernel.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyIndexTest {

    private static final byte[] KEY = {'k'};

    /** put 2, put 4, delete 6, put 8, put 10, delete 12, put 14: etcd's key_index_test.go shape. */
    private static KeyIndex threeGenerations() {
        KeyIndex index = new KeyIndex(KEY);
        index.put(new Revision(2, 0));
        index.put(new Revision(4, 0));
        index.tombstone(new Revision(6, 0));
        index.put(new Revision(8, 0));
        index.put(new Revision(10, 0));
        index.tombstone(new Revision(12, 0));
        index.put(new Revision(14, 0));
        return index;
    }

    @Test
    void getFindsTheNewestRevisionOfTheGenerationAliveAtTheRevision() {
        KeyIndex index = threeGenerations();

        assertThat(index.get(1)).isNull();
        assertThat(index.get(2)).isEqualTo(new KeyIndex.Found(new Revision(2, 0), new Revision(2, 0), 1));
        assertThat(index.get(5)).isEqualTo(new KeyIndex.Found(new Revision(4, 0), new Revision(2, 0), 2));
        assertThat(index.get(6)).as("deleted at 6").isNull();
        assertThat(index.get(7)).isNull();
        assertThat(index.get(11)).isEqualTo(new KeyIndex.Found(new Revision(10, 0), new Revision(8, 0), 2));
        assertThat(index.get(13)).isNull();
        assertThat(index.get(100)).isEqualTo(new KeyIndex.Found(new Revision(14, 0), new Revision(14, 0), 1));
    }

    @Test
    void putRejectsARevisionThatDoesNotGrow() {
        KeyIndex index = new KeyIndex(KEY);
        index.put(new Revision(5, 1));

        assertThatThrownBy(() -> index.put(new Revision(5, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.put(new Revision(4, 9))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tombstoneOfADeletedKeyChangesNothing() {
        KeyIndex index = new KeyIndex(KEY);
        index.put(new Revision(2, 0));
        assertThat(index.tombstone(new Revision(3, 0))).isTrue();

        assertThat(index.tombstone(new Revision(4, 0))).isFalse();
        assertThat(index.generationCount()).isEqualTo(2);
    }

    @Test
    void compactKeepsTheNewestRevisionAtOrBeforeTheCompactRevision() {
        KeyIndex index = threeGenerations();
        Set<Revision> keep = new HashSet<>();

        index.compact(9, keep);

        assertThat(keep).containsExactly(new Revision(8, 0));
        assertThat(index.generationCount()).as("the generation ended at 6 is gone").isEqualTo(2);
        assertThat(index.get(9)).isEqualTo(new KeyIndex.Found(new Revision(8, 0), new Revision(8, 0), 1));
        assertThat(index.get(11).version()).isEqualTo(2);
    }

    @Test
    void compactDropsATombstoneLeftAloneInItsGeneration() {
        KeyIndex index = threeGenerations();
        Set<Revision> keep = new HashSet<>();

        index.compact(12, keep);

        assertThat(keep).isEmpty();
        assertThat(index.generationCount()).isEqualTo(1);
        assertThat(index.get(14)).isNotNull();
    }

    @Test
    void compactOfADeletedKeyLeavesItEmpty() {
        KeyIndex index = new KeyIndex(KEY);
        index.put(new Revision(2, 0));
        index.tombstone(new Revision(3, 0));
        Set<Revision> keep = new HashSet<>();

        index.compact(3, keep);

        assertThat(keep).isEmpty();
        assertThat(index.isEmpty()).isTrue();
    }

    @Test
    void revisionKeysSortAsRevisionsAndMarkTombstones() {
        Revision revision = new Revision(258, 3);

        assertThat(revision.toKey()).hasSize(17);
        assertThat(revision.toKey()[8]).isEqualTo((byte) '_');
        assertThat(revision.toTombstoneKey()).hasSize(18).endsWith((byte) 't');
        assertThat(Revision.fromKey(revision.toTombstoneKey())).isEqualTo(revision);
        assertThat(Revision.isTombstoneKey(revision.toTombstoneKey())).isTrue();
        assertThat(Revision.isTombstoneKey(revision.toKey())).isFalse();
        assertThat(java.util.Arrays.compareUnsigned(new Revision(255, 9).toKey(), new Revision(256, 0).toKey()))
                .isNegative();
    }
}
