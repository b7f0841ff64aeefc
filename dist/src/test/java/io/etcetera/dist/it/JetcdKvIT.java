package io.etcetera.dist.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jetcd Java client (io.etcd:jetcd-core) against a fresh etcetera member per test: KV
 * operations with their options, transactions, compaction and the mapping of etcd's errors.
 *
 * <p>Expected values are etcd 3.4's (api/etcdserverpb/rpc.proto, mvcc/kvstore_txn.go,
 * etcdserver/api/v3rpc/rpctypes/error.go); with {@code -Detcetera.it.reference-only=true} the
 * member is real etcd, which validates the expectations.
 */
class JetcdKvIT {

    /** Longest wait for one client call. */
    private static final long CALL_TIMEOUT_SECONDS = 10;

    @RegisterExtension
    final Members members = new Members();

    private Client client;
    private KV kv;

    @BeforeEach
    void startMember() {
        MemberProcess member = members.start(Executables.candidate());
        client = member.jetcdClient();
        kv = client.getKVClient();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void putTakesOneRevisionAndReturnsThePreviousKeyValue() {
        long base = headRevision();

        PutResponse first = call(kv.put(bytes("k"), bytes("v1")));
        PutResponse second = call(kv.put(bytes("k"), bytes("v2"), PutOption.builder().withPrevKV().build()));

        assertThat(first.getHeader().getRevision()).isEqualTo(base + 1);
        assertThat(first.hasPrevKv()).isFalse();
        assertThat(second.getHeader().getRevision()).isEqualTo(base + 2);
        assertThat(second.hasPrevKv()).isTrue();
        assertKeyValue(second.getPrevKv(), "k", "v1", base + 1, base + 1, 1);
        GetResponse now = call(kv.get(bytes("k")));
        assertThat(now.getHeader().getRevision()).isEqualTo(base + 2);
        assertThat(now.getCount()).isEqualTo(1);
        assertKeyValue(now.getKvs().get(0), "k", "v2", base + 1, base + 2, 2);
    }

    @Test
    void getHonoursPrefixLimitSortRevisionKeysOnlyAndCountOnly() {
        long base = headRevision();
        // p/1..p/4 at base+1..base+4, values in reverse key order; p/2 rewritten at base+5.
        call(kv.put(bytes("p/1"), bytes("d")));
        call(kv.put(bytes("p/2"), bytes("c")));
        call(kv.put(bytes("p/3"), bytes("b")));
        call(kv.put(bytes("p/4"), bytes("a")));
        call(kv.put(bytes("p/2"), bytes("c2")));
        call(kv.put(bytes("q"), bytes("outside")));

        GetResponse prefix = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true).build()));
        assertThat(keys(prefix)).containsExactly("p/1", "p/2", "p/3", "p/4");
        assertThat(prefix.getCount()).isEqualTo(4);
        assertThat(prefix.isMore()).isFalse();

        GetResponse limited = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true).withLimit(2).build()));
        assertThat(keys(limited)).containsExactly("p/1", "p/2");
        assertThat(limited.getCount()).isEqualTo(4);
        assertThat(limited.isMore()).isTrue();

        GetResponse byValueDescending = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.VALUE).withSortOrder(GetOption.SortOrder.DESCEND).build()));
        assertThat(values(byValueDescending)).containsExactly("d", "c2", "b", "a");

        GetResponse byModAscending = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.MOD).withSortOrder(GetOption.SortOrder.ASCEND).build()));
        assertThat(keys(byModAscending)).containsExactly("p/1", "p/3", "p/4", "p/2");

        GetResponse byVersionDescendingLimited = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.VERSION).withSortOrder(GetOption.SortOrder.DESCEND)
                .withLimit(1).build()));
        assertThat(keys(byVersionDescendingLimited)).containsExactly("p/2");
        assertThat(byVersionDescendingLimited.isMore()).isTrue();

        GetResponse historical = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true)
                .withRevision(base + 2).build()));
        assertThat(historical.getHeader().getRevision()).isEqualTo(base + 6);
        assertThat(keys(historical)).containsExactly("p/1", "p/2");
        assertKeyValue(historical.getKvs().get(1), "p/2", "c", base + 2, base + 2, 1);

        GetResponse range = call(kv.get(bytes("p/2"), GetOption.builder().withRange(bytes("p/4")).build()));
        assertThat(keys(range)).containsExactly("p/2", "p/3");

        GetResponse keysOnly = call(kv.get(bytes("p/2"), GetOption.builder().withKeysOnly(true).build()));
        assertThat(keysOnly.getKvs()).singleElement().satisfies(keyValue -> {
            assertThat(keyValue.getValue().isEmpty()).isTrue();
            assertThat(keyValue.getModRevision()).isEqualTo(base + 5);
            assertThat(keyValue.getVersion()).isEqualTo(2);
        });

        GetResponse countOnly = call(kv.get(bytes("p/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
        assertThat(countOnly.getKvs()).isEmpty();
        assertThat(countOnly.getCount()).isEqualTo(4);
    }

    @Test
    void deleteRemovesARangeInOneRevisionAndKeepsHistory() {
        long base = headRevision();
        call(kv.put(bytes("d/1"), bytes("one")));
        call(kv.put(bytes("d/2"), bytes("two")));
        call(kv.put(bytes("e"), bytes("kept")));

        DeleteResponse absent = call(kv.delete(bytes("nothing")));
        assertThat(absent.getDeleted()).isZero();
        assertThat(absent.getHeader().getRevision()).isEqualTo(base + 3);

        DeleteResponse deleted = call(kv.delete(bytes("d/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
        assertThat(deleted.getDeleted()).isEqualTo(2);
        assertThat(deleted.getHeader().getRevision()).isEqualTo(base + 4);
        assertThat(deleted.getPrevKvs()).extracting(JetcdKvIT::text).containsExactly("d/1", "d/2");

        assertThat(call(kv.get(bytes("d/"), GetOption.builder().isPrefix(true).build())).getCount()).isZero();
        GetResponse before = call(kv.get(bytes("d/"), GetOption.builder().isPrefix(true).withRevision(base + 3).build()));
        assertThat(values(before)).containsExactly("one", "two");

        PutResponse recreated = call(kv.put(bytes("d/1"), bytes("again")));
        assertThat(recreated.getHeader().getRevision()).isEqualTo(base + 5);
        assertKeyValue(call(kv.get(bytes("d/1"))).getKvs().get(0), "d/1", "again", base + 5, base + 5, 1);
    }

    @Test
    void txnRunsTheBranchItsComparesSelect() {
        long base = headRevision();
        call(kv.put(bytes("t"), bytes("v1")));
        call(kv.put(bytes("t"), bytes("v2")));

        TxnResponse success = call(kv.txn()
                .If(new Cmp(bytes("t"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v2"))),
                        new Cmp(bytes("t"), Cmp.Op.GREATER, CmpTarget.version(1)),
                        new Cmp(bytes("t"), Cmp.Op.LESS, CmpTarget.createRevision(base + 2)),
                        new Cmp(bytes("t"), Cmp.Op.NOT_EQUAL, CmpTarget.modRevision(base + 1)))
                .Then(Op.put(bytes("t"), bytes("v3"), PutOption.builder().withPrevKV().build()),
                        Op.get(bytes("t"), GetOption.DEFAULT),
                        Op.delete(bytes("gone"), DeleteOption.DEFAULT))
                .Else(Op.put(bytes("never"), bytes("x"), PutOption.DEFAULT))
                .commit());
        assertThat(success.isSucceeded()).isTrue();
        assertThat(success.getHeader().getRevision()).isEqualTo(base + 3);
        assertThat(success.getPutResponses()).singleElement()
                .satisfies(put -> assertThat(put.getPrevKv().getValue().toString(StandardCharsets.UTF_8)).isEqualTo("v2"));
        assertThat(success.getGetResponses()).singleElement()
                .satisfies(get -> assertKeyValue(get.getKvs().get(0), "t", "v3", base + 1, base + 3, 3));
        assertThat(success.getDeleteResponses()).singleElement()
                .satisfies(delete -> assertThat(delete.getDeleted()).isZero());

        TxnResponse failure = call(kv.txn()
                .If(new Cmp(bytes("t"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v2"))))
                .Then(Op.put(bytes("never"), bytes("x"), PutOption.DEFAULT))
                .Else(Op.get(bytes("t"), GetOption.DEFAULT))
                .commit());
        assertThat(failure.isSucceeded()).isFalse();
        assertThat(failure.getHeader().getRevision()).isEqualTo(base + 3);
        assertThat(failure.getGetResponses()).singleElement()
                .satisfies(get -> assertThat(values(get)).containsExactly("v3"));
        assertThat(call(kv.get(bytes("never"))).getCount()).isZero();
    }

    @Test
    void compactionDropsOldRevisionsAndErrorsCarryEtcdsCodesAndMessages() {
        long base = headRevision();
        call(kv.put(bytes("c"), bytes("v1")));
        call(kv.put(bytes("c"), bytes("v2")));
        call(kv.put(bytes("c"), bytes("v3")));

        call(kv.compact(base + 2));

        assertEtcdError(kv.get(bytes("c"), GetOption.builder().withRevision(base + 1).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
        assertThat(values(call(kv.get(bytes("c"), GetOption.builder().withRevision(base + 2).build()))))
                .containsExactly("v2");
        assertEtcdError(kv.compact(base + 2),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
        assertEtcdError(kv.compact(base + 100),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        assertEtcdError(kv.get(bytes("c"), GetOption.builder().withRevision(base + 100).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        assertEtcdError(kv.put(bytes("c"), bytes("x"), PutOption.builder().withLeaseId(0x1234).build()),
                Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
        assertEtcdError(kv.txn()
                        .Then(Op.put(bytes("dup"), bytes("1"), PutOption.DEFAULT),
                                Op.put(bytes("dup"), bytes("2"), PutOption.DEFAULT))
                        .commit(),
                Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");

        PutResponse after = call(kv.put(bytes("c"), bytes("v4")));
        assertThat(after.getHeader().getRevision()).isEqualTo(base + 4);
    }

    /** The store's current revision, read from a response header. */
    private long headRevision() {
        return call(kv.get(bytes("probe"))).getHeader().getRevision();
    }

    private static <T> T call(CompletableFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("etcd call failed", e);
        }
    }

    /** jetcd's KV client hands etcd's gRPC status through as the failure's cause. */
    private static void assertEtcdError(CompletableFuture<?> future, Status.Code code, String description) {
        assertThatThrownBy(() -> future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> {
                    Status status = Status.fromThrowable(e.getCause());
                    assertThat(status.getCode()).as("gRPC code of %s", e.getCause()).isEqualTo(code);
                    assertThat(status.getDescription()).isEqualTo(description);
                });
    }

    private static void assertKeyValue(KeyValue keyValue, String key, String value,
            long createRevision, long modRevision, long version) {
        assertThat(text(keyValue)).isEqualTo(key);
        assertThat(keyValue.getValue().toString(StandardCharsets.UTF_8)).isEqualTo(value);
        assertThat(keyValue.getCreateRevision()).as("create_revision of %s", key).isEqualTo(createRevision);
        assertThat(keyValue.getModRevision()).as("mod_revision of %s", key).isEqualTo(modRevision);
        assertThat(keyValue.getVersion()).as("version of %s", key).isEqualTo(version);
    }

    private static List<String> keys(GetResponse response) {
        return response.getKvs().stream().map(JetcdKvIT::text).toList();
    }

    private static List<String> values(GetResponse response) {
        return response.getKvs().stream().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8)).toList();
    }

    private static String text(KeyValue keyValue) {
        return keyValue.getKey().toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
