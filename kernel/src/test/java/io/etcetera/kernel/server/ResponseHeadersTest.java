package io.etcetera.kernel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcetera.spi.etcdserverpb.CompactionResponse;
import io.etcetera.spi.etcdserverpb.DeleteRangeResponse;
import io.etcetera.spi.etcdserverpb.PutRequest;
import io.etcetera.spi.etcdserverpb.PutResponse;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.ResponseOp;
import io.etcetera.spi.etcdserverpb.TxnResponse;
import io.etcetera.spi.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {

    private static final long CLUSTER = 0xcdf818194e3a8c32L;
    private static final long MEMBER = 0x8e9e05c52164694dL;

    private final ResponseHeaders headers = new ResponseHeaders(new MemberIdentity(MEMBER, CLUSTER), () -> 7, () -> 42);

    @Test
    void stampsClusterMemberAndTermAndKeepsTheStoresRevision() {
        PutResponse put = PutResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(5))
                .setPrevKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k")))
                .build();

        PutResponse stamped = headers.stampResponse(put);

        assertThat(stamped.getHeader()).isEqualTo(ResponseHeader.newBuilder()
                .setClusterId(CLUSTER).setMemberId(MEMBER).setRaftTerm(7).setRevision(5).build());
        assertThat(stamped.getPrevKv()).isEqualTo(put.getPrevKv());
    }

    @Test
    void aZeroRevisionBecomesTheCurrentRevision() {
        assertThat(headers.stampResponse(CompactionResponse.getDefaultInstance()).getHeader().getRevision()).isEqualTo(42);
        assertThat(headers.stampResponse(RangeResponse.getDefaultInstance()).getHeader().getRevision()).isEqualTo(42);
        assertThat(headers.stampResponse(DeleteRangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(3)).build()).getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void onlyTheTopLevelHeaderOfATxnIsStamped() {
        TxnResponse txn = TxnResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(9))
                .addResponses(ResponseOp.newBuilder().setResponsePut(PutResponse.newBuilder()
                        .setHeader(ResponseHeader.newBuilder().setRevision(9))))
                .build();

        TxnResponse stamped = headers.stampResponse(txn);

        assertThat(stamped.getHeader().getMemberId()).isEqualTo(MEMBER);
        assertThat(stamped.getResponses(0).getResponsePut().getHeader())
                .isEqualTo(ResponseHeader.newBuilder().setRevision(9).build());
    }

    @Test
    void aMessageWithoutAResponseHeaderIsAProgrammingError() {
        assertThatThrownBy(() -> headers.stampResponse(PutRequest.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etcdserverpb.PutRequest");
    }
}
