package io.etcetera.kernel.watch;

import static io.etcetera.kernel.watch.WatchHarness.cancel;
import static io.etcetera.kernel.watch.WatchHarness.create;
import static io.etcetera.kernel.watch.WatchHarness.progress;
import static io.etcetera.kernel.watch.WatchHarness.watchKey;
import static io.etcetera.kernel.watch.WatchHarness.watchPrefix;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.kernel.Eventually;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest;
import io.etcetera.spi.etcdserverpb.WatchCreateRequest.FilterType;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.etcetera.spi.mvccpb.Event.EventType;
import io.etcetera.spi.server.WatchStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchServerTest {

    private WatchHarness harness = new WatchHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private static List<String> describe(List<Event> events) {
        List<String> described = new ArrayList<>();
        for (Event event : events) {
            described.add(event.getType() + " " + event.getKv().getKey().toStringUtf8() + "="
                    + event.getKv().getValue().toStringUtf8() + "@" + event.getKv().getModRevision());
        }
        return described;
    }

    @Test
    void watchAtHeadAnswersCreatedThenTheEventsOfItsKeyOnly() {
        harness.put("a", "0");
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a")));
        WatchResponse created = sink.awaitResponses(1).get(0);
        assertThat(created.getCreated()).isTrue();
        assertThat(created.getWatchId()).isZero();
        assertThat(created.getHeader().getRevision()).isEqualTo(2);
        assertThat(created.getHeader().getClusterId()).isEqualTo(WatchHarness.CLUSTER_ID);
        assertThat(created.getHeader().getMemberId()).isEqualTo(WatchHarness.MEMBER_ID);
        assertThat(created.getHeader().getRaftTerm()).isEqualTo(WatchHarness.TERM);

        harness.put("a", "1");
        harness.put("b", "x");
        harness.delete("a");

        assertThat(describe(sink.awaitEvents(0, 2))).containsExactly("PUT a=1@3", "DELETE a=@5");
        WatchResponse last = sink.responses().get(sink.responses().size() - 1);
        assertThat(last.getHeader().getRevision()).isEqualTo(5);
        assertThat(sink.sawConcurrentCalls()).isFalse();
    }

    @Test
    void watchIdsCountFromZeroSkipClientChosenOnesAndRefuseDuplicatesAndEmptyRanges() {
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a").setWatchId(1)));
        stream.request(create(watchKey("a")));
        stream.request(create(watchKey("a")));
        stream.request(create(watchKey("a").setWatchId(1)));
        stream.request(create(watchKey("b").setRangeEnd(WatchHarness.bytes("a"))));

        List<WatchResponse> responses = sink.awaitResponses(5);
        assertThat(responses).extracting(WatchResponse::getWatchId).containsExactly(1L, 0L, 2L, -1L, -1L);
        assertThat(responses).allMatch(WatchResponse::getCreated);
        assertThat(responses.get(3).getCanceled()).isTrue();
        assertThat(responses.get(3).getCancelReason()).isEqualTo("mvcc: duplicate watch ID provided on the WatchStream");
        assertThat(responses.get(4).getCancelReason()).isEqualTo("mvcc: watcher range is empty");

        // another stream numbers its own watchers from 0
        RecordingSink other = new RecordingSink();
        harness.server.open(other).request(create(watchKey("a")));
        assertThat(other.awaitResponses(1).get(0).getWatchId()).isZero();
    }

    @Test
    void startRevisionInHistoryIsCaughtUpThenFollowsLiveWritesWithoutGapsOrDuplicates() {
        for (int i = 0; i < 50; i++) {
            harness.put("k" + (i % 5), "v" + i);
        }
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchPrefix("k").setStartRevision(2)));
        for (int i = 50; i < 100; i++) {
            harness.put("k" + (i % 5), "v" + i);
        }
        List<Event> events = sink.awaitEvents(0, 100);
        assertThat(events).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(events.get(i).getKv().getModRevision()).isEqualTo(i + 2);
            assertThat(events.get(i).getKv().getValue().toStringUtf8()).isEqualTo("v" + i);
        }
        Eventually.await("the watcher is synced", () -> harness.server.store().groupSizes()[0] == 1);
    }

    @Test
    void historyIsReadInBoundedRoundsThatNeverSplitATxn() {
        harness.close();
        harness = new WatchHarness(WatchOptions.defaults(1536 * 1024).withSyncBatchBytes(64));
        for (int i = 0; i < 20; i++) {
            harness.txnPut("a" + i, "1", "b" + i, "2", "c" + i, "3");
        }
        RecordingSink sink = new RecordingSink();
        harness.server.open(sink).request(create(WatchCreateRequest.newBuilder()
                .setKey(WatchHarness.bytes("\0")).setRangeEnd(WatchHarness.bytes("\0")).setStartRevision(1)));
        List<Event> events = sink.awaitEvents(0, 60);
        assertThat(events).hasSize(60);
        for (WatchResponse response : sink.responses()) {
            if (response.getEventsCount() > 0) {
                assertThat(response.getEventsCount() % 3).as("whole txns per response").isZero();
                assertThat(response.getHeader().getRevision())
                        .isGreaterThanOrEqualTo(response.getEvents(response.getEventsCount() - 1).getKv().getModRevision());
            }
        }
    }

    @Test
    void eventsOfOneTxnArriveTogetherInOrder() {
        RecordingSink sink = new RecordingSink();
        harness.server.open(sink).request(create(watchPrefix("t")));
        sink.awaitResponses(1);
        harness.txnPut("t1", "a", "t2", "b", "x", "c", "t3", "d");
        sink.awaitResponses(2);
        WatchResponse response = sink.responses().get(1);
        assertThat(describe(response.getEventsList())).containsExactly("PUT t1=a@2", "PUT t2=b@2", "PUT t3=d@2");
    }

    @Test
    void keysDeletedByALeaseRevocationArriveAsDeleteEventsOfOneRevision() {
        harness.put("l/a", "1");
        harness.put("l/b", "2");
        RecordingSink sink = new RecordingSink();
        harness.server.open(sink).request(create(watchPrefix("l/")));
        sink.awaitResponses(1);
        harness.revoke("l/a", "l/b");
        WatchResponse response = sink.awaitResponses(2).get(1);
        assertThat(describe(response.getEventsList())).containsExactly("DELETE l/a=@4", "DELETE l/b=@4");
    }

    @Test
    void filtersDropPutsOrDeletes() {
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a").addFilters(FilterType.NOPUT)));
        stream.request(create(watchKey("a").addFilters(FilterType.NODELETE)));
        sink.awaitResponses(2);
        harness.put("a", "1");
        harness.delete("a");
        harness.put("a", "2");
        assertThat(describe(sink.awaitEvents(1, 2))).containsExactly("PUT a=1@2", "PUT a=2@4");
        assertThat(describe(sink.awaitEvents(0, 1))).containsExactly("DELETE a=@3");
    }

    @Test
    void prevKvCarriesTheValueBeforeEachChangeButNotForACreation() {
        RecordingSink sink = new RecordingSink();
        harness.server.open(sink).request(create(watchKey("a").setPrevKv(true)));
        sink.awaitResponses(1);
        harness.put("a", "1");
        harness.put("a", "2");
        harness.delete("a");
        List<Event> events = sink.awaitEvents(0, 3);
        assertThat(events.get(0).hasPrevKv()).isFalse();
        assertThat(events.get(1).getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
        assertThat(events.get(2).getType()).isEqualTo(EventType.DELETE);
        assertThat(events.get(2).getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
        assertThat(events.get(2).getPrevKv().getModRevision()).isEqualTo(3);
    }

    @Test
    void aWatchStartingBeforeTheCompactionIsCanceledWithTheCompactRevision() {
        for (int i = 0; i < 10; i++) {
            harness.put("a", "v" + i);
        }
        harness.compact(6);
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a").setStartRevision(3)));
        stream.request(create(watchKey("a").setStartRevision(6)));
        sink.awaitResponses(3);
        Eventually.await("watch 1 replays from 6", () -> sink.events(1).size() == 6);
        WatchResponse canceled = sink.responses().stream().filter(r -> r.getWatchId() == 0 && !r.getCreated())
                .findFirst().orElseThrow();
        assertThat(canceled.getCanceled()).isTrue();
        assertThat(canceled.getCompactRevision()).isEqualTo(6);
        assertThat(canceled.getEventsCount()).isZero();
        assertThat(canceled.getHeader().getRevision()).isZero();
        harness.put("a", "after");
        sink.awaitEvents(1, 7);
        assertThat(sink.events(0)).isEmpty();
    }

    @Test
    void cancelAnswersCanceledAndStopsEventsAndAnUnknownIdIsIgnored() {
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a")));
        harness.put("a", "1");
        sink.awaitEvents(0, 1);
        stream.request(cancel(42));
        stream.request(cancel(0));
        stream.request(progress());
        List<WatchResponse> responses = sink.awaitResponses(4);
        assertThat(responses.get(2).getCanceled()).isTrue();
        assertThat(responses.get(2).getWatchId()).isZero();
        assertThat(responses.get(2).getHeader().getRevision()).isEqualTo(2);
        assertThat(responses.get(3).getWatchId()).isEqualTo(-1);
        harness.put("a", "2");
        stream.request(progress());
        sink.awaitResponses(5);
        assertThat(sink.events(0)).hasSize(1);
        assertThat(sink.responses()).hasSize(5);
        // as in etcd, auto ids only count up: the freed id 0 is not handed out again
        stream.request(create(watchKey("a")));
        assertThat(sink.awaitResponses(6).get(5).getWatchId()).isEqualTo(1);
    }

    @Test
    void progressRequestAnswersTheCurrentRevisionWithWatchIdMinusOne() {
        harness.put("a", "1");
        harness.put("a", "2");
        RecordingSink sink = new RecordingSink();
        harness.server.open(sink).request(progress());
        WatchResponse response = sink.awaitResponses(1).get(0);
        assertThat(response.getWatchId()).isEqualTo(-1);
        assertThat(response.getHeader().getRevision()).isEqualTo(3);
        assertThat(response.getCreated()).isFalse();
        assertThat(response.getEventsCount()).isZero();
    }

    @Test
    void progressNotifyTellsAnIdleWatcherTheCurrentRevision() {
        harness.close();
        harness = new WatchHarness(WatchOptions.defaults(1536 * 1024).withProgressNotifyIntervalMs(50));
        harness.put("other", "1");
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a").setProgressNotify(true)));
        stream.request(create(watchKey("b")));
        harness.put("other", "2");
        Eventually.await("a progress notification", () -> sink.responses().stream()
                .anyMatch(r -> !r.getCreated() && r.getWatchId() == 0 && r.getEventsCount() == 0
                        && r.getHeader().getRevision() == 3));
        assertThat(sink.responses()).noneMatch(r -> r.getWatchId() == 1 && !r.getCreated());
    }

    @Test
    void largeResponsesAreFragmentedForWatchersThatAskAndOnlyForThem() {
        harness.close();
        harness = new WatchHarness(WatchOptions.defaults(1536 * 1024).withFragmentBytes(300));
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchPrefix("f").setFragment(true)));
        stream.request(create(watchPrefix("f")));
        sink.awaitResponses(2);
        String value = "x".repeat(100);
        harness.txnPut("f1", value, "f2", value, "f3", value, "f4", value, "f5", value);
        assertThat(sink.awaitEvents(0, 5)).hasSize(5);
        assertThat(sink.awaitEvents(1, 5)).hasSize(5);
        List<WatchResponse> fragments = sink.responses().stream().filter(r -> r.getWatchId() == 0 && !r.getCreated()).toList();
        assertThat(fragments).hasSizeGreaterThan(1);
        for (int i = 0; i < fragments.size(); i++) {
            assertThat(fragments.get(i).getFragment()).isEqualTo(i < fragments.size() - 1);
            assertThat(fragments.get(i).getSerializedSize()).isLessThan(300);
        }
        assertThat(sink.responses().stream().filter(r -> r.getWatchId() == 1 && !r.getCreated()).toList()).hasSize(1);
    }

    @Test
    void aStalledConsumerKeepsBoundedBuffersBlocksNobodyAndLaterGetsEveryEventOnce() {
        harness.close();
        harness = new WatchHarness(WatchOptions.defaults(1536 * 1024).withStreamBuffer(4, 1024 * 1024));
        RecordingSink slow = new RecordingSink();
        WatchStream slowStream = harness.server.open(slow);
        slowStream.request(create(watchPrefix("k")));
        slow.awaitResponses(1);
        RecordingSink fast = new RecordingSink();
        harness.server.open(fast).request(create(watchPrefix("k")));
        fast.awaitResponses(1);
        slow.stall();

        int writes = 2_000;
        for (int i = 0; i < writes; i++) {
            harness.put("k" + (i % 7), "v" + i);
            ServerWatchStream stalled = (ServerWatchStream) slowStream;
            assertThat(stalled.outbox().bufferedEventResponses()).isLessThanOrEqualTo(4);
        }
        assertThat(fast.awaitEvents(0, writes)).hasSize(writes);
        assertThat(harness.server.store().groupSizes()[2] + harness.server.store().groupSizes()[1])
                .as("the stalled watcher left the synced group").isEqualTo(1);

        slow.resume(slowStream);
        List<Event> events = slow.awaitEvents(0, writes);
        assertThat(events).hasSize(writes);
        for (int i = 0; i < writes; i++) {
            assertThat(events.get(i).getKv().getModRevision()).isEqualTo(i + 2);
        }
        Eventually.await("the slow watcher is synced again", () -> harness.server.store().groupSizes()[0] == 2);
        harness.put("k0", "live");
        assertThat(slow.awaitEvents(0, writes + 1)).hasSize(writes + 1);
    }

    @Test
    void closingTheServiceEndsOpenStreamsWithServerStopped() {
        RecordingSink sink = new RecordingSink();
        harness.server.open(sink).request(create(watchKey("a")));
        sink.awaitResponses(1);
        harness.server.close();
        assertThat(sink.error()).isNotNull();
        assertThat(sink.error().error()).isEqualTo(EtcdError.STOPPED);
    }

    @Test
    void aClientSendingRequestsWithoutReadingAnswersHasItsStreamEndedAndFreed() {
        harness.close();
        harness = new WatchHarness(new WatchOptions(60_000, 128, 1 << 20, 8, 1 << 20, 100, 10, 512, 1 << 20));
        RecordingSink sink = new RecordingSink();
        sink.stall();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a")));
        for (int i = 0; i < 8; i++) {
            stream.request(progress());
        }
        Eventually.await("the stream is ended", () -> sink.error() != null);
        assertThat(sink.error().error()).isEqualTo(EtcdError.REQUEST_TOO_MANY_REQUESTS);
        Eventually.await("the stream is freed", () -> harness.server.openStreams() == 0);
        assertThat(harness.server.store().groupSizes()).containsExactly(0, 0, 0);
    }

    @Test
    void closingAStreamCancelsItsWatchers() {
        RecordingSink sink = new RecordingSink();
        WatchStream stream = harness.server.open(sink);
        stream.request(create(watchKey("a")));
        stream.request(create(watchKey("b").setStartRevision(1)));
        sink.awaitResponses(2);
        stream.close();
        assertThat(harness.server.openStreams()).isZero();
        assertThat(harness.server.store().groupSizes()).containsExactly(0, 0, 0);
        harness.put("a", "1");
        assertThat(sink.responses()).hasSize(2);
    }
}
