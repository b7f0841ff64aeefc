package io.etcetera.kernel.server;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import java.util.function.LongSupplier;

/**
 * Fills the response header as etcd's gRPC layer does ({@code v3rpc/header.go}): cluster id,
 * member id and the current Raft term; the revision the store set is kept, and only when it is 0
 * is it set to the store's current revision. Only the top-level header is filled, as in etcd:
 * headers of responses nested in a txn keep just their revision.
 *
 * <p>Thread-safe.
 */
final class ResponseHeaders {

    private final MemberIdentity identity;
    private final LongSupplier raftTerm;
    private final LongSupplier currentRevision;

    ResponseHeaders(MemberIdentity identity, LongSupplier raftTerm, LongSupplier currentRevision) {
        this.identity = identity;
        this.raftTerm = raftTerm;
        this.currentRevision = currentRevision;
    }

    /** A full header for {@code revision}, kept as given even when 0 (watch responses, etcd {@code newResponseHeader}). */
    ResponseHeader at(long revision) {
        return ResponseHeader.newBuilder()
                .setClusterId(identity.clusterId())
                .setMemberId(identity.memberId())
                .setRaftTerm(raftTerm.getAsLong())
                .setRevision(revision)
                .build();
    }

    /**
     * {@code response} with its top-level {@code header} field {@link #stamp stamped}. Every etcd
     * v3 response message has that field ({@code etcdserverpb.ResponseHeader header = 1}).
     *
     * @throws IllegalArgumentException when the message type has no {@code header} field of type
     *     {@link ResponseHeader} (a programming error)
     */
    <T extends Message> T stampResponse(T response) {
        FieldDescriptor field = headerField(response.getDescriptorForType());
        @SuppressWarnings("unchecked") // toBuilder().build() keeps the message type
        T stamped = (T) response.toBuilder().setField(field, stamp((ResponseHeader) response.getField(field))).build();
        return stamped;
    }

    private static FieldDescriptor headerField(Descriptor type) {
        FieldDescriptor field = type.findFieldByName("header");
        if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                || !field.getMessageType().equals(ResponseHeader.getDescriptor())) {
            throw new IllegalArgumentException(type.getFullName() + " has no ResponseHeader header field");
        }
        return field;
    }

    ResponseHeader stamp(ResponseHeader header) {
        ResponseHeader.Builder stamped = header.toBuilder()
                .setClusterId(identity.clusterId())
                .setMemberId(identity.memberId())
                .setRaftTerm(raftTerm.getAsLong());
        if (header.getRevision() == 0) {
            stamped.setRevision(currentRevision.getAsLong());
        }
        return stamped.build();
    }
}
