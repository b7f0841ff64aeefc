package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.bytes;
import static io.etcetera.kernel.mvcc.AppliedStore.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortOrder;
import io.etcetera.spi.etcdserverpb.RangeRequest.SortTarget;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MvccStoreRangeTest {

    private final AppliedStore kv = new AppliedStore();

    /**
     * Revisions: a=2 (create 2), b=3, c=4, d=5, then b rewritten at 6 and 7, a rewritten at 8.
     * Versions: a=2, b=3, c=1, d=1. Values chosen so value order differs from key order.
     */
    @BeforeEach
    void fill() {
        kv.put("a", "v3");
        kv.put("b", "v9");
        kv.put("c", "v1");
        kv.put("d", "v5");
        kv.put("b", "v8");
        kv.put("b", "v7");
        kv.put("a", "v2");
    }

    private RangeResponse range(RangeRequest.Builder request) {
        return kv.store.range(request.build());
    }

    private static RangeRequest.Builder all() {
        return AppliedStore.all(RangeRequest.newBuilder());
    }

    @Test
    void singleKeyReadsOnlyThatKey() {
        RangeResponse response = range(RangeRequest.newBuilder().setKey(bytes("b")));

        assertThat(keys(response)).containsExactly("b");
        assertThat(response.getCount()).isEqualTo(1);
        assertThat(response.getMore()).isFalse();
        assertThat(response.getHeader().getRevision()).isEqualTo(8);
    }

    @Test
    void rangeEndIsExclusive() {
        assertThat(keys(range(RangeRequest.newBuilder().setKey(bytes("b")).setRangeEnd(bytes("d")))))
                .containsExactly("b", "c");
    }

    @Test
    void prefixRangeReadsKeysWithThePrefix() {
        kv.put("dir/x", "1");
        kv.put("dir/y", "1");
        kv.put("dis", "1");

        assertThat(keys(range(RangeRequest.newBuilder().setKey(bytes("dir/")).setRangeEnd(bytes("dir0")))))
                .containsExactly("dir/x", "dir/y");
    }

    @Test
    void rangeEndOfZeroByteReadsEveryKeyFromTheKeyOn() {
        assertThat(keys(range(RangeRequest.newBuilder().setKey(bytes("b")).setRangeEnd(bytes("\0")))))
                .containsExactly("b", "c", "d");
    }

    @Test
    void zeroKeyWithZeroRangeEndReadsEveryKey() {
        assertThat(keys(range(all()))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void rangeEndBeforeTheKeyReadsNothing() {
        RangeResponse response = range(RangeRequest.newBuilder().setKey(bytes("c")).setRangeEnd(bytes("b")));

        assertThat(response.getKvsList()).isEmpty();
        assertThat(response.getCount()).isZero();
    }

    @Test
    void keysCompareAsUnsignedBytes() {
        kv.put("\u00ff", "high");

        assertThat(keys(range(all()))).containsExactly("a", "b", "c", "d", "\u00ff");
    }

    @Test
    void limitCutsTheResultAndSetsMoreWhileCountStaysTotal() {
        RangeResponse response = range(all().setLimit(2));

        assertThat(keys(response)).containsExactly("a", "b");
        assertThat(response.getMore()).isTrue();
        assertThat(response.getCount()).isEqualTo(4);
    }

    @Test
    void limitEqualToTheNumberOfKeysLeavesMoreUnset() {
        RangeResponse response = range(all().setLimit(4));

        assertThat(keys(response)).hasSize(4);
        assertThat(response.getMore()).isFalse();
    }

    @Test
    void countOnlyCountsWithoutKeyValues() {
        RangeResponse response = range(all().setCountOnly(true).setLimit(1));

        assertThat(response.getKvsList()).isEmpty();
        assertThat(response.getCount()).isEqualTo(4);
        assertThat(response.getMore()).isFalse();
    }

    @Test
    void keysOnlyLeavesValuesOutButKeepsRevisions() {
        RangeResponse response = range(all().setKeysOnly(true));

        assertThat(response.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());
        assertThat(response.getKvs(1).getVersion()).isEqualTo(3);
        assertThat(response.getKvs(1).getModRevision()).isEqualTo(7);
    }

    @Test
    void sortByKeyDescending() {
        assertThat(keys(range(all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.KEY))))
                .containsExactly("d", "c", "b", "a");
    }

    @Test
    void sortByKeyAscending() {
        assertThat(keys(range(all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.KEY))))
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void sortByValue() {
        assertThat(keys(range(all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.VALUE))))
                .containsExactly("c", "a", "d", "b");
        assertThat(keys(range(all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.VALUE))))
                .containsExactly("b", "d", "a", "c");
    }

    @Test
    void sortByVersionKeepsKeyOrderAmongTies() {
        assertThat(keys(range(all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.VERSION))))
                .containsExactly("c", "d", "a", "b");
        assertThat(keys(range(all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.VERSION))))
                .containsExactly("b", "a", "c", "d");
    }

    @Test
    void sortByCreateRevision() {
        kv.delete("a");
        kv.put("a", "again");

        assertThat(keys(range(all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.CREATE))))
                .containsExactly("b", "c", "d", "a");
        assertThat(keys(range(all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.CREATE))))
                .containsExactly("a", "d", "c", "b");
    }

    @Test
    void sortByModRevision() {
        assertThat(keys(range(all().setSortOrder(SortOrder.ASCEND).setSortTarget(SortTarget.MOD))))
                .containsExactly("c", "d", "b", "a");
        assertThat(keys(range(all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.MOD))))
                .containsExactly("a", "b", "d", "c");
    }

    @Test
    void sortOrderNoneWithATargetOtherThanKeySortsAscending() {
        assertThat(keys(range(all().setSortOrder(SortOrder.NONE).setSortTarget(SortTarget.MOD))))
                .containsExactly("c", "d", "b", "a");
    }

    @Test
    void sortWithLimitSortsAllKeysBeforeCutting() {
        RangeResponse response = range(all().setSortOrder(SortOrder.DESCEND).setSortTarget(SortTarget.MOD).setLimit(1));

        assertThat(keys(response)).containsExactly("a");
        assertThat(response.getMore()).isTrue();
        assertThat(response.getCount()).isEqualTo(4);
    }

    @Test
    void modRevisionFiltersKeepKeysInTheBounds() {
        assertThat(keys(range(all().setMinModRevision(5)))).containsExactly("a", "b", "d");
        assertThat(keys(range(all().setMaxModRevision(5)))).containsExactly("c", "d");
        assertThat(keys(range(all().setMinModRevision(5).setMaxModRevision(7)))).containsExactly("b", "d");
    }

    @Test
    void createRevisionFiltersKeepKeysInTheBounds() {
        assertThat(keys(range(all().setMinCreateRevision(3)))).containsExactly("b", "c", "d");
        assertThat(keys(range(all().setMaxCreateRevision(3)))).containsExactly("a", "b");
    }

    @Test
    void filtersApplyBeforeLimitAndCountIgnoresThem() {
        RangeResponse response = range(all().setMinCreateRevision(3).setLimit(2));

        assertThat(keys(response)).containsExactly("b", "c");
        assertThat(response.getMore()).as("three keys passed the filter").isTrue();
        assertThat(response.getCount()).as("count is before the filters").isEqualTo(4);
    }

    @Test
    void filterLeavingNoMoreThanTheLimitLeavesMoreUnset() {
        RangeResponse response = range(all().setMinModRevision(7).setLimit(2));

        assertThat(keys(response)).containsExactly("a", "b");
        assertThat(response.getMore()).isFalse();
        assertThat(response.getCount()).isEqualTo(4);
    }

    @Test
    void historicalRangeReadsEveryKeyAsItWas() {
        RangeResponse response = range(all().setRevision(4));

        assertThat(keys(response)).containsExactly("a", "b", "c");
        assertThat(response.getKvsList()).extracting(KeyValue::getValue)
                .containsExactly(bytes("v3"), bytes("v9"), bytes("v1"));
        assertThat(response.getHeader().getRevision()).isEqualTo(8);
    }

    @Test
    void absentKeyReadsNothing() {
        RangeResponse response = range(RangeRequest.newBuilder().setKey(bytes("zz")));

        assertThat(response.getKvsList()).isEmpty();
        assertThat(response.getCount()).isZero();
        assertThat(response.getMore()).isFalse();
    }
}
