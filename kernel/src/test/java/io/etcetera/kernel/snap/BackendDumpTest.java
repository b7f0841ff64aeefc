package io.etcetera.kernel.snap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcetera.kernel.testing.InMemoryBackend;
import io.etcetera.spi.storage.Bucket;
import io.etcetera.spi.storage.Snapshot;
import io.etcetera.spi.storage.WriteBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendDumpTest {

    private final InMemoryBackend source = new InMemoryBackend();
    private final InMemoryBackend target = new InMemoryBackend();

    @Test
    void aRestoredBackendHoldsExactlyTheDumpedContentsOfEveryBucket() throws IOException {
        put(source, Bucket.KEY, "k1", "v1");
        put(source, Bucket.KEY, "k2", "");
        put(source, Bucket.META, "consistent_index", "42");
        put(source, Bucket.MEMBERS, "m1", "{}");
        put(target, Bucket.KEY, "stale", "gone");
        put(target, Bucket.LEASE, "stale-lease", "gone");

        byte[] dump = dump(source);
        BackendDump.Summary summary = BackendDump.restore(target, new ByteArrayInputStream(dump));

        assertThat(summary.records()).isEqualTo(4);
        assertThat(summary.bytes()).isEqualTo(dump.length);
        for (Bucket bucket : Bucket.values()) {
            assertThat(entries(target, bucket)).as(bucket.id()).isEqualTo(entries(source, bucket));
        }
    }

    @Test
    void theDumpIsAPointInTimeOfTheSnapshot() throws IOException {
        put(source, Bucket.KEY, "before", "1");
        byte[] dump;
        try (Snapshot snapshot = source.snapshot()) {
            put(source, Bucket.KEY, "after", "2");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BackendDump.write(snapshot, out);
            dump = out.toByteArray();
        }

        BackendDump.restore(target, new ByteArrayInputStream(dump));

        assertThat(target.keys(Bucket.KEY)).extracting(k -> new String(k, UTF_8)).containsExactly("before");
    }

    @Test
    void aTruncatedDumpIsRefusedAndLeavesTheBackendUnchanged() throws IOException {
        put(source, Bucket.KEY, "k1", "v1");
        put(target, Bucket.KEY, "mine", "kept");
        byte[] dump = dump(source);

        for (int length : new int[] {0, 5, dump.length / 2, dump.length - 1}) {
            assertThatThrownBy(() -> BackendDump.restore(target, new ByteArrayInputStream(Arrays.copyOf(dump, length))))
                    .as("dump cut at %d of %d bytes", length, dump.length)
                    .isInstanceOf(BackendDump.CorruptDumpException.class);
        }
        assertThat(target.get(Bucket.KEY, bytes("mine"))).isEqualTo(bytes("kept"));
        assertThat(target.get(Bucket.KEY, bytes("k1"))).isNull();
    }

    @Test
    void aDamagedOrExtendedDumpIsRefused() throws IOException {
        put(source, Bucket.KEY, "key", "value");
        byte[] dump = dump(source);
        byte[] flipped = dump.clone();
        flipped[dump.length - 8] ^= 1;
        byte[] extended = Arrays.copyOf(dump, dump.length + 1);

        assertThatThrownBy(() -> BackendDump.verify(new ByteArrayInputStream(flipped)))
                .isInstanceOf(BackendDump.CorruptDumpException.class);
        assertThatThrownBy(() -> BackendDump.verify(new ByteArrayInputStream(extended)))
                .isInstanceOf(BackendDump.CorruptDumpException.class).hasMessageContaining("follow");
        assertThat(BackendDump.verify(new ByteArrayInputStream(dump)).records()).isEqualTo(1);
    }

    @Test
    void extraWritesGoInTheSameBatchAfterTheDump() throws IOException {
        put(source, Bucket.CLUSTER, "localMemberID", "leader");
        long commitsBefore = target.commits();

        BackendDump.restore(target, new ByteArrayInputStream(dump(source)),
                batch -> batch.put(Bucket.CLUSTER, bytes("localMemberID"), bytes("follower")));

        assertThat(target.get(Bucket.CLUSTER, bytes("localMemberID"))).isEqualTo(bytes("follower"));
        assertThat(target.commits()).isEqualTo(commitsBefore + 1);
    }

    private static byte[] dump(InMemoryBackend backend) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Snapshot snapshot = backend.snapshot()) {
            BackendDump.write(snapshot, out);
        }
        return out.toByteArray();
    }

    private static List<String> entries(InMemoryBackend backend, Bucket bucket) {
        List<String> entries = new ArrayList<>();
        backend.scan(bucket, new byte[0], null, (key, value) ->
                entries.add(new String(key, UTF_8) + "=" + new String(value, UTF_8)));
        return entries;
    }

    private static void put(InMemoryBackend backend, Bucket bucket, String key, String value) {
        try (WriteBatch batch = backend.newBatch()) {
            batch.put(bucket, bytes(key), bytes(value));
            batch.commit();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
