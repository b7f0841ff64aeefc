package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watch under concurrent writes: {@value #WATCHERS} watchers on overlapping key ranges and one
 * stalled consumer watching everything, while {@value #WRITERS} writers each put
 * {@value #PUTS_PER_WRITER} keys. Every watcher must receive every event of its range exactly
 * once, in revision order, with nothing else; the stalled consumer must not hold the others back
 * (they finish while it is still stalled) and, once it reads again, must receive every event too.
 *
 * <p>Bounded: fixed counts, every wait has a deadline, the stalled listener waits at most
 * {@link #DEADLINE}. Keys are chosen by seeded random generators; the seed is printed on failure.
 */
class WatchStressIT {

    private static final int WATCHERS = 8;
    private static final int WRITERS = 4;
    private static final int PUTS_PER_WRITER = 500;
    private static final int KEYS = 16;
    /**
     * Bytes per value: 2,000 events of 1 KiB overrun grpc-java's 1 MiB HTTP/2 window, so the
     * stalled consumer really pushes back on the server (its stream buffer fills, watchers turn
     * victims) rather than being absorbed by the client's buffers.
     */
    private static final int VALUE_BYTES = 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @RegisterExtension
    final Members members = new Members();

    /** A put as the server acknowledged it. */
    private record Put(String key, long revision) { }

    /** Records the (key, mod revision) of every event a watcher receives. */
    private static final class Recorder implements Watch.Listener {
        private final List<Put> events = new ArrayList<>();
        private final CountDownLatch release;

        Recorder(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void onNext(WatchResponse response) {
            try {
                // a stalled consumer: stops reading until released (the client's gRPC thread blocks)
                release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                for (WatchEvent event : response.getEvents()) {
                    events.add(new Put(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
                            event.getKeyValue().getModRevision()));
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            throw new AssertionError("watch failed", throwable);
        }

        @Override
        public void onCompleted() {
        }

        synchronized List<Put> events() {
            return List.copyOf(events);
        }
    }

    private static String key(int index) {
        return String.format("s/k%02d", index);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Test
    void everyWatcherGetsEveryMatchingEventExactlyOnceInOrderDespiteAStalledConsumer() throws Exception {
        long seed = System.nanoTime();
        MemberProcess member = members.start(Executables.candidate());
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (Client client = member.jetcdClient();
                Client stalledClient = member.jetcdClient()) {
            KV kv = client.getKVClient();
            long start = kv.put(bytes("s/start"), bytes("0")).get(10, TimeUnit.SECONDS).getHeader().getRevision() + 1;

            CountDownLatch noWait = new CountDownLatch(0);
            List<Recorder> recorders = new ArrayList<>();
            List<Watch.Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < WATCHERS; i++) {
                Recorder recorder = new Recorder(noWait);
                recorders.add(recorder);
                watchers.add(client.getWatchClient().watch(bytes(key(i)),
                        WatchOption.builder().withRange(bytes(key(i + KEYS / 2))).withRevision(start).build(), recorder));
            }
            CountDownLatch stalledRelease = new CountDownLatch(1);
            Recorder stalled = new Recorder(stalledRelease);
            Watch.Watcher stalledWatcher = stalledClient.getWatchClient().watch(bytes("s/k"),
                    WatchOption.builder().isPrefix(true).withRevision(start).build(), stalled);

            List<Put> acknowledged = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(seed + w);
                running.add(writers.submit(() -> {
                    for (int n = 0; n < PUTS_PER_WRITER; n++) {
                        String key = key(random.nextInt(KEYS));
                        long revision = kv.put(bytes(key), bytes(n + "v".repeat(VALUE_BYTES))).get(10, TimeUnit.SECONDS).getHeader().getRevision();
                        acknowledged.add(new Put(key, revision));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : running) {
                writer.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            List<Put> all = new ArrayList<>(acknowledged);
            all.sort((a, b) -> Long.compare(a.revision(), b.revision()));
            assertThat(all).hasSize(WRITERS * PUTS_PER_WRITER);

            for (int i = 0; i < WATCHERS; i++) {
                String from = key(i);
                String to = key(i + KEYS / 2);
                List<Put> expected = all.stream().filter(put -> put.key().compareTo(from) >= 0 && put.key().compareTo(to) < 0).toList();
                Recorder recorder = recorders.get(i);
                Await.until(DEADLINE, "watcher " + i + " (seed " + seed + ") gets " + expected.size() + " events while another is stalled",
                        () -> recorder.events().size() >= expected.size());
                assertThat(recorder.events()).as("watcher %d, seed %d", i, seed).isEqualTo(expected);
            }
            assertThat(stalled.events().size()).as("the stalled consumer has not read everything yet")
                    .isLessThan(all.size());

            stalledRelease.countDown();
            Await.until(DEADLINE, "the stalled consumer catches up (seed " + seed + ")",
                    () -> stalled.events().size() >= all.size());
            assertThat(stalled.events()).as("stalled consumer, seed %d", seed).isEqualTo(all);
            watchers.forEach(Watch.Watcher::close);
            stalledWatcher.close();
        } finally {
            writers.shutdownNow();
        }
    }
}
