package io.etcetera.kernel.mvcc;

import static io.etcetera.kernel.mvcc.AppliedStore.putOp;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.TxnRequest;
import io.etcetera.spi.mvccpb.KeyValue;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MvccStoreConcurrencyTest {

    private static final int WRITES = 2_000;
    private static final int READERS = 2;
    private static final long DEADLINE_SECONDS = 60;

    @Test
    void readsDuringWritesSeeEachTxnWhollyOrNotAtAll() throws Exception {
        AppliedStore kv = new AppliedStore();
        kv.txn(TxnRequest.newBuilder().addSuccess(putOp("x", "0")).addSuccess(putOp("y", "0")).build());
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            List<Future<Long>> reads = java.util.stream.IntStream.range(0, READERS)
                    .mapToObj(i -> readers.submit(() -> readUntilDone(kv.store, writing)))
                    .toList();

            for (int i = 1; i <= WRITES; i++) {
                String value = Integer.toString(i);
                kv.txn(TxnRequest.newBuilder().addSuccess(putOp("x", value)).addSuccess(putOp("y", value)).build());
            }
            writing.set(false);

            for (Future<Long> read : reads) {
                assertThat(read.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(kv.store.currentRevision()).isEqualTo(WRITES + 2);
    }

    /** Reads x and y until the writer is done; returns how many consistent reads it made. */
    private static long readUntilDone(MvccStore store, AtomicBoolean writing) {
        long reads = 0;
        RangeRequest both = RangeRequest.newBuilder()
                .setKey(AppliedStore.bytes("x")).setRangeEnd(AppliedStore.bytes("z")).build();
        do {
            RangeResponse response = store.range(both);
            KeyValue x = response.getKvs(0);
            KeyValue y = response.getKvs(1);
            assertThat(x.getValue()).isEqualTo(y.getValue());
            assertThat(x.getModRevision()).isEqualTo(y.getModRevision()).isEqualTo(response.getHeader().getRevision());
            reads++;
        } while (writing.get());
        return reads;
    }
}
