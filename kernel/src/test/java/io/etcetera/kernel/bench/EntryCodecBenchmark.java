package io.etcetera.kernel.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.raft.pb.EntryType;
import io.etcetera.kernel.server.pb.InternalRaftRequest;
import io.etcetera.kernel.server.pb.RequestHeader;
import io.etcetera.spi.etcdserverpb.PutRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding of a Raft log entry carrying a put, as the proposer (encode), the WAL
 * replay and the apply loop (decode) do: {@code raftpb.Entry} whose data is an
 * {@code InternalRaftRequest} with an 8-byte key and a 256-byte value.
 * Run with {@code bench/jmh.sh EntryCodecBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EntryCodecBenchmark {

    private PutRequest put;
    private byte[] encoded;
    private long index;

    @Setup
    public void prepare() {
        byte[] value = new byte[256];
        ThreadLocalRandom.current().nextBytes(value);
        put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("key00001")).setValue(ByteString.copyFrom(value)).build();
        encoded = encode();
    }

    /** Proposal to log entry bytes: InternalRaftRequest, then Entry, then bytes. */
    @Benchmark
    public byte[] encode() {
        long id = ++index;
        InternalRaftRequest request = InternalRaftRequest.newBuilder()
                .setHeader(RequestHeader.newBuilder().setID(id)).setPut(put).build();
        return Entry.newBuilder().setTerm(2).setIndex(id).setType(EntryType.EntryNormal)
                .setData(request.toByteString()).build().toByteArray();
    }

    /** Log entry bytes to the request the apply loop runs. */
    @Benchmark
    public InternalRaftRequest decode() throws InvalidProtocolBufferException {
        return InternalRaftRequest.parseFrom(Entry.parseFrom(encoded).getData());
    }
}
