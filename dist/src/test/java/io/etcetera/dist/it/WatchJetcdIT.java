package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jetcd Java client's Watch against a fresh etcetera member per test: key and prefix
 * watches, history from a revision, prev_kv, NOPUT/NODELETE filters, cancel by closing the
 * watcher, progress requests and the compaction error.
 *
 * <p>Expected values are etcd 3.4's ({@code mvcc/watchable_store.go},
 * {@code etcdserver/api/v3rpc/watch.go}); with {@code -Detcetera.it.reference-only=true} the
 * member is real etcd, which validates the expectations.
 */
class WatchJetcdIT {

    private static final long CALL_TIMEOUT_SECONDS = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @RegisterExtension
    final Members members = new Members();

    private Client client;
    private KV kv;
    private Watch watch;

    @BeforeEach
    void startMember() {
        MemberProcess member = members.start(Executables.candidate());
        client = member.jetcdClient();
        kv = client.getKVClient();
        watch = client.getWatchClient();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    /** Collects a watcher's responses and error. */
    private static final class Collector implements Watch.Listener {
        private final List<WatchResponse> responses = new ArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        public synchronized void onNext(WatchResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable throwable) {
            error.set(throwable);
        }

        @Override
        public void onCompleted() {
        }

        synchronized List<WatchResponse> responses() {
            return List.copyOf(responses);
        }

        synchronized List<String> events() {
            List<String> described = new ArrayList<>();
            for (WatchResponse response : responses) {
                for (WatchEvent event : response.getEvents()) {
                    StringBuilder text = new StringBuilder().append(event.getEventType()).append(' ')
                            .append(event.getKeyValue().getKey()).append('=').append(event.getKeyValue().getValue())
                            .append('@').append(event.getKeyValue().getModRevision());
                    if (event.getPrevKV() != null && event.getPrevKV().getKey().size() > 0) {
                        text.append(" prev=").append(event.getPrevKV().getValue());
                    }
                    described.add(text.toString());
                }
            }
            return described;
        }

        List<String> awaitEvents(int count) {
            Await.until(DEADLINE, count + " events (have " + events() + ")", () -> events().size() >= count);
            return events();
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static <T> T call(CompletableFuture<T> future) throws Exception {
        return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private long put(String key, String value) throws Exception {
        return call(kv.put(bytes(key), bytes(value))).getHeader().getRevision();
    }

    @Test
    void keyWatchWithPrevKvSeesPutsAndDeletesOfItsKeyOnly() throws Exception {
        long start = put("k", "0") + 1;
        Collector collector = new Collector();
        try (Watch.Watcher watcher = watch.watch(bytes("k"),
                WatchOption.builder().withRevision(start).withPrevKV(true).build(), collector)) {
            put("k", "1");
            put("other", "x");
            call(kv.delete(bytes("k")));
            put("k", "2");
            assertThat(collector.awaitEvents(3)).containsExactly(
                    "PUT k=1@3 prev=0", "DELETE k=@5 prev=1", "PUT k=2@6");
        }
    }

    @Test
    void prefixWatchFromAnOldRevisionReplaysHistoryThenFollows() throws Exception {
        put("p/a", "1");
        put("q", "x");
        put("p/b", "2");
        Collector collector = new Collector();
        try (Watch.Watcher watcher = watch.watch(bytes("p/"),
                WatchOption.builder().isPrefix(true).withRevision(1).build(), collector)) {
            assertThat(collector.awaitEvents(2)).containsExactly("PUT p/a=1@2", "PUT p/b=2@4");
            put("p/c", "3");
            assertThat(collector.awaitEvents(3)).containsExactly("PUT p/a=1@2", "PUT p/b=2@4", "PUT p/c=3@5");
        }
    }

    @Test
    void filtersDropPutsOrDeletes() throws Exception {
        Collector noPut = new Collector();
        Collector noDelete = new Collector();
        long start = put("f", "0") + 1;
        try (Watch.Watcher a = watch.watch(bytes("f"), WatchOption.builder().withRevision(start).withNoPut(true).build(), noPut);
                Watch.Watcher b = watch.watch(bytes("f"),
                        WatchOption.builder().withRevision(start).withNoDelete(true).build(), noDelete)) {
            put("f", "1");
            call(kv.delete(bytes("f")));
            put("f", "2");
            assertThat(noDelete.awaitEvents(2)).containsExactly("PUT f=1@3", "PUT f=2@5");
            assertThat(noPut.awaitEvents(1)).containsExactly("DELETE f=@4");
        }
    }

    @Test
    void closingAWatcherStopsItsEvents() throws Exception {
        Collector closed = new Collector();
        Collector open = new Collector();
        long start = put("c", "0") + 1;
        Watch.Watcher first = watch.watch(bytes("c"), WatchOption.builder().withRevision(start).build(), closed);
        try (Watch.Watcher second = watch.watch(bytes("c"), WatchOption.builder().withRevision(start).build(), open)) {
            put("c", "1");
            closed.awaitEvents(1);
            first.close();
            put("c", "2");
            open.awaitEvents(2);
            assertThat(closed.events()).containsExactly("PUT c=1@3");
        }
    }

    @Test
    void progressRequestAnswersWithTheCurrentRevision() throws Exception {
        Collector collector = new Collector();
        long start = put("g", "0") + 1;
        try (Watch.Watcher watcher = watch.watch(bytes("g"), WatchOption.builder().withRevision(start).build(), collector)) {
            put("g", "1");
            collector.awaitEvents(1);
            long current = put("other", "x");
            watcher.requestProgress();
            Await.until(DEADLINE, "a progress notification", () -> collector.responses().stream()
                    .anyMatch(response -> response.isProgressNotify() && response.getHeader().getRevision() == current));
        }
    }

    @Test
    void watchingFromACompactedRevisionFailsWithCompactedException() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("h", "v" + i);
        }
        call(kv.compact(4));
        Collector collector = new Collector();
        try (Watch.Watcher watcher = watch.watch(bytes("h"), WatchOption.builder().withRevision(2).build(), collector)) {
            Await.until(DEADLINE, "the compaction error", () -> collector.error.get() != null);
            assertThat(collector.error.get()).isInstanceOf(CompactedException.class);
            assertThat(((CompactedException) collector.error.get()).getCompactedRevision()).isEqualTo(4);
            assertThat(collector.events()).isEmpty();
        }
    }
}
