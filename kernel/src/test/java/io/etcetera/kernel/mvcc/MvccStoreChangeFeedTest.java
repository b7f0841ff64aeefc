package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.deleteOp;
import static io.etcetera.kernel.mvcc.AppliedStore.putOp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MvccStoreChangeFeedTest {

    private final AppliedStore applied = new AppliedStore();
    private final List<String> published = new ArrayList<>();

    MvccStoreChangeFeedTest() {
        applied.store.changeFeed((revision, events) -> published.add(revision + ":" + describe(events)));
    }

    private static String describe(List<Event> events) {
        StringBuilder text = new StringBuilder();
        for (Event event : events) {
            text.append(' ').append(event.getType()).append(' ').append(event.getKv().getKey().toStringUtf8())
                    .append('@').append(event.getKv().getModRevision());
        }
        return text.toString();
    }

    @Test
    void eachWriteTxnThatChangesAKeyIsPublishedOnceWithItsEventsInOrder() {
        applied.put("a", "1");
        applied.txn(TxnRequest.newBuilder().addSuccess(putOp("b", "2")).addSuccess(deleteOp("a"))
                .addSuccess(putOp("c", "3")).build());
        applied.delete("missing");
        applied.txn(TxnRequest.newBuilder().addSuccess(deleteOp("nothing")).build());

        assertThat(published).containsExactly("2: PUT a@2", "3: PUT b@3 DELETE a@3 PUT c@3");
    }

    @Test
    void rangeEventsReadsHistoryAsWatchEventsFilteredByKey() {
        applied.put("a", "1");
        applied.put("b", "1");
        applied.delete("a");
        applied.put("a", "2");

        EventHistory history = applied.store.rangeEvents(2, 10, key -> key[0] == 'a', Long.MAX_VALUE);

        assertThat(describe(history.events())).isEqualTo(" PUT a@2 DELETE a@4 PUT a@5");
        assertThat(history.nextRevision()).isEqualTo(6);
        assertThat(history.events().get(1).getKv().getValue().isEmpty()).isTrue();
    }

    @Test
    void rangeEventsStopsAtARevisionBoundaryPastTheByteLimit() {
        applied.txn(TxnRequest.newBuilder().addSuccess(putOp("a", "x")).addSuccess(putOp("b", "y")).build());
        applied.put("c", "z");

        EventHistory history = applied.store.rangeEvents(1, 10, key -> true, 1);

        assertThat(describe(history.events())).isEqualTo(" PUT a@2 PUT b@2");
        assertThat(history.nextRevision()).isEqualTo(3);
    }

    @Test
    void rangeEventsBeforeTheCompactRevisionFailsCompacted() {
        for (int i = 0; i < 5; i++) {
            applied.put("a", "v" + i);
        }
        applied.compact(4);

        assertThatThrownBy(() -> applied.store.rangeEvents(3, 10, key -> true, Long.MAX_VALUE))
                .isInstanceOf(EtcdException.class)
                .extracting(e -> ((EtcdException) e).error()).isEqualTo(EtcdError.COMPACTED);
        assertThat(describe(applied.store.rangeEvents(4, 10, key -> true, Long.MAX_VALUE).events()))
                .isEqualTo(" PUT a@4 PUT a@5 PUT a@6");
    }
}
