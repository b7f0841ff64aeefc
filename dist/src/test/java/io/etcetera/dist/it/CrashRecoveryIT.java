package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Durability across {@code kill -9}: every put a client saw acknowledged survives a crash with the
 * revision and value it was acknowledged with, and the revision keeps growing after restart.
 *
 * <p>Each round, {@link #WRITERS} jetcd clients put distinct keys concurrently; once
 * {@link #ACKS_PER_ROUND} puts are acknowledged the member is killed with SIGKILL while puts are
 * still in flight, then restarted on the same data dir. Puts that failed or were cut off may or may
 * not be present (etcd gives no promise either way); acknowledged ones must be. This is etcd's
 * guarantee: a response is sent only after the entry is committed to a durable WAL
 * (etcdserver/raft.go, fsync before apply).
 */
class CrashRecoveryIT {

    /** Concurrent clients, each with its own connection. */
    private static final int WRITERS = 4;

    /** Acknowledged puts to collect in a round before the kill. */
    private static final int ACKS_PER_ROUND = 200;

    /** Kill-and-restart rounds; the brief asks for at least two. */
    private static final int ROUNDS = 3;

    /** Longest wait for one put or get. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** Longest wait for a round's acknowledgements. */
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    final Members members = new Members();

    /** One acknowledged put: what the client was told. */
    private record Ack(String key, String value, long revision) {
    }

    @Test
    void everyAcknowledgedPutSurvivesKillNine() throws InterruptedException {
        MemberProcess member = members.start(Executables.candidate());
        List<Ack> acknowledged = new ArrayList<>();

        for (int round = 1; round <= ROUNDS; round++) {
            List<Ack> acks = putUntilKilled(member, round);
            acknowledged.addAll(acks);
            member = members.restart(member);

            long newRevision = checkAfterRestart(member, acknowledged);
            assertThat(newRevision)
                    .as("revision of the first put after restart %d", round)
                    .isGreaterThan(acknowledged.stream().mapToLong(Ack::revision).max().orElseThrow());
        }
    }

    /** Runs the writers of one round, kills the member once enough puts are acknowledged. */
    private List<Ack> putUntilKilled(MemberProcess member, int round) throws InterruptedException {
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        try {
            for (int writer = 0; writer < WRITERS; writer++) {
                Client client = member.jetcdClient();
                clients.add(client);
                String prefix = "crash/r" + round + "/w" + writer + "/";
                Thread thread = new Thread(() -> write(client, prefix, acks, stop), "writer-" + prefix);
                writers.add(thread);
                thread.start();
            }
            Await.until(ROUND_TIMEOUT, ACKS_PER_ROUND + " acknowledged puts in round " + round,
                    () -> acks.size() >= ACKS_PER_ROUND);
            member.kill();
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(CALL_TIMEOUT.toMillis() * 2);
                assertThat(writer.isAlive()).as("%s stopped", writer.getName()).isFalse();
            }
            clients.forEach(Client::close);
        }
        return List.copyOf(acks);
    }

    /** Puts {@code prefix<i>} = {@code v<i>} one after another until told to stop or a put fails. */
    private static void write(Client client, String prefix, ConcurrentLinkedQueue<Ack> acks, AtomicBoolean stop) {
        for (int i = 0; !stop.get(); i++) {
            String key = prefix + i;
            String value = "v" + i;
            try {
                PutResponse response = client.getKVClient().put(bytes(key), bytes(value))
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                acks.add(new Ack(key, value, response.getHeader().getRevision()));
            } catch (ExecutionException | TimeoutException e) {
                return; // the member is gone: this put is not acknowledged, and neither will later ones be
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Checks every acknowledged put is readable as acknowledged; returns the revision of a new put. */
    private static long checkAfterRestart(MemberProcess member, List<Ack> acknowledged) {
        try (Client client = member.jetcdClient()) {
            GetResponse all = get(client.getKVClient().get(bytes("crash/"), GetOption.builder().isPrefix(true).build()));
            Map<String, KeyValue> stored = new HashMap<>();
            all.getKvs().forEach(kv -> stored.put(kv.getKey().toString(StandardCharsets.UTF_8), kv));

            List<String> lost = new ArrayList<>();
            for (Ack ack : acknowledged) {
                KeyValue kv = stored.get(ack.key());
                if (kv == null) {
                    lost.add(ack + ": missing");
                } else if (kv.getModRevision() != ack.revision()
                        || !kv.getValue().toString(StandardCharsets.UTF_8).equals(ack.value())) {
                    lost.add(ack + ": stored as mod_revision " + kv.getModRevision() + " value "
                            + kv.getValue().toString(StandardCharsets.UTF_8));
                }
            }
            assertThat(lost).as("acknowledged puts lost or changed by kill -9 (of %d)", acknowledged.size()).isEmpty();
            assertThat(acknowledged.stream().map(Ack::revision).distinct().count())
                    .as("every acknowledged put has its own revision")
                    .isEqualTo(acknowledged.size());

            return get(client.getKVClient().put(bytes("crash/after"), bytes("x"))).getHeader().getRevision();
        }
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("call to the restarted member failed", e);
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
