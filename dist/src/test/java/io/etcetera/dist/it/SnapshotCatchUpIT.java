package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A follower killed with {@code kill -9} while the others write far past the catch-up window
 * ({@code --snapshot-count 100 --experimental-snapshot-catchup-entries 50}) comes back by
 * snapshot: after restart its serializable reads hold every key at the leader's revision, its
 * snap directory holds at most {@code --max-snapshots} files, and it keeps replicating.
 */
class SnapshotCatchUpIT {

    private static final int KEYS = 600;
    private static final int MAX_SNAPSHOTS = 5;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

    @Test
    void aFollowerKilledBehindTheCompactedLogCatchesUpBySnapshot() throws Exception {
        Path root = TempDirs.create("etcetera-it-snapshot-");
        List<MemberProcess> running = new ArrayList<>();
        try {
            List<MemberProcess> cluster = MemberProcess.startCluster(Executables.candidate(), root, 3,
                    List.of("--snapshot-count", "100", "--experimental-snapshot-catchup-entries", "50",
                            "--max-snapshots", Integer.toString(MAX_SNAPSHOTS)));
            running.addAll(cluster);
            MemberProcess follower = aFollower(cluster);
            MemberProcess writer = cluster.stream().filter(m -> m != follower).findFirst().orElseThrow();
            assertThat(writer.etcdctl().run("put", "snap/before", "kill").ok()).isTrue();

            follower.kill();
            putKeys(writer, KEYS);
            Range expected = range(writer);
            assertThat(expected.count()).isEqualTo(KEYS + 1);

            MemberProcess restarted = follower.restart();
            running.add(restarted);
            Await.until(CATCH_UP_TIMEOUT, "the restarted follower at revision " + expected.revision(),
                    () -> range(restarted).equals(expected));
            assertThat(keys(restarted)).isEqualTo(keys(writer));
            assertThat(snapFiles(restarted.dataDir())).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_SNAPSHOTS);

            assertThat(writer.etcdctl().run("put", "snap/after", "install").ok()).isTrue();
            Await.until(CATCH_UP_TIMEOUT, "the write after the install on the restarted follower",
                    () -> restarted.etcdctl().run("get", "snap/after", "--consistency=s", "--print-value-only")
                            .stdout().strip().equals("install"));
        } finally {
            running.forEach(MemberProcess::close);
            TempDirs.deleteRecursively(root);
        }
    }

    /** A member that is not the leader, from {@code endpoint status -w table}. */
    private static MemberProcess aFollower(List<MemberProcess> cluster) {
        for (MemberProcess member : cluster) {
            Command.Result status = member.etcdctl().run("endpoint", "status", "-w", "table");
            for (String line : status.stdout().lines().toList()) {
                String[] cells = line.split("\\|");
                if (cells.length > 5 && cells[1].strip().equals(member.clientEndpoint())
                        && cells[5].strip().equals("false")) {
                    return member;
                }
            }
        }
        throw new AssertionError("no follower among " + cluster.size() + " members");
    }

    private static void putKeys(MemberProcess writer, int count) throws Exception {
        try (Client client = writer.jetcdClient()) {
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                puts.add(client.getKVClient().put(bytes(String.format("snap/key-%04d", i)), bytes("value-" + i)));
                if (puts.size() == 50) {
                    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                    puts.clear();
                }
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The member's own view (serializable): revision and count of the {@code snap/} keys. */
    private record Range(long revision, long count) {
    }

    private static Range range(MemberProcess member) {
        Command.Result get = member.etcdctl().run("get", "snap/", "--prefix", "--consistency=s", "-w", "json");
        if (!get.ok()) {
            return new Range(-1, -1);
        }
        return new Range(number(REVISION, get.stdout()), number(COUNT, get.stdout()));
    }

    private static List<String> keys(MemberProcess member) {
        Command.Result get = member.etcdctl().run("get", "snap/", "--prefix", "--consistency=s", "--keys-only");
        assertThat(get.ok()).as(get.stderr()).isTrue();
        return get.stdout().lines().filter(line -> !line.isBlank()).toList();
    }

    private static long number(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static List<Path> snapFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("member").resolve("snap"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".snap")).toList();
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
