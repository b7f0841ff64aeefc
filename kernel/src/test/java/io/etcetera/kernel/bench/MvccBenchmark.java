package io.etcetera.kernel.bench;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.storage.Backend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * MVCC store on the RocksDB engine, as the apply thread and the serializable read path use it:
 * one put (one backend batch holding the revision, the key index change and the consistent
 * index; not fsync'd, as in the server, where the WAL is the durable record) and one range of a
 * single key. The store is preloaded with {@code keys} keys of 8 bytes with 256-byte values.
 * Run with {@code bench/jmh.sh MvccBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MvccBenchmark {

    private static final int VALUE_BYTES = 256;

    @Param({"10000", "100000"})
    public int keys;

    private Path directory;
    private Backend backend;
    private MvccStore store;
    private long consistentIndex;
    private ByteString value;

    @Setup(Level.Trial)
    public void open() {
        directory = BenchmarkFiles.tempDirectory("mvcc-bench-");
        backend = BenchmarkFiles.rocksDb().open(directory);
        store = new MvccStore(backend);
        consistentIndex = store.consistentIndex();
        byte[] bytes = new byte[VALUE_BYTES];
        ThreadLocalRandom.current().nextBytes(bytes);
        value = ByteString.copyFrom(bytes);
        for (int i = 0; i < keys; i++) {
            put(i);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        backend.close();
        BenchmarkFiles.deleteRecursively(directory);
    }

    /** A put to a random existing key (a new revision of it). */
    @Benchmark
    public PutResponse put() {
        return put(ThreadLocalRandom.current().nextInt(keys));
    }

    /** A linearizable-path-free range of one random existing key (the read itself). */
    @Benchmark
    public RangeResponse rangeOneKey() {
        return store.range(RangeRequest.newBuilder().setKey(key(ThreadLocalRandom.current().nextInt(keys))).build());
    }

    private PutResponse put(int keyNumber) {
        return store.put(PutRequest.newBuilder().setKey(key(keyNumber)).setValue(value).build(), ++consistentIndex);
    }

    private static ByteString key(int keyNumber) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(keyNumber).array());
    }
}
