package io.etcetera.kernel.bench;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.raft.pb.HardState;
import io.etcetera.kernel.wal.Wal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WAL append with fsync, group commit: one {@link Wal#save} of {@code batch} entries of
 * {@code entryBytes} bytes each, then one fsync, as the Raft loop saves everything queued since
 * its last turn. Time per save; entries/s = batch / time. Dominated by the disk's fsync latency,
 * so results are specific to the machine. Run with {@code bench/jmh.sh WalBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WalBenchmark {

    @Param({"1", "16", "256"})
    public int batch;

    @Param({"300"})
    public int entryBytes;

    private Path directory;
    private Wal wal;
    private ByteString data;
    private long index;
    private final long term = 2;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = BenchmarkFiles.tempDirectory("wal-bench-");
        wal = Wal.create(directory, Wal.Options.defaults());
        byte[] bytes = new byte[entryBytes];
        ThreadLocalRandom.current().nextBytes(bytes);
        data = ByteString.copyFrom(bytes);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        wal.close();
        BenchmarkFiles.deleteRecursively(directory);
    }

    /** One group commit: {@code batch} entries and the hard state, one write, one fsync. */
    @Benchmark
    public long appendAndSync() throws IOException {
        List<Entry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(Entry.newBuilder().setTerm(term).setIndex(++index).setType(EntryType.EntryNormal).setData(data).build());
        }
        wal.save(HardState.newBuilder().setTerm(term).setCommit(index).build(), entries, true);
        return index;
    }
}
