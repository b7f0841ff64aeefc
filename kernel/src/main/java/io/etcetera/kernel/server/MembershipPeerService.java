package io.etcetera.kernel.server;

import io.etcetera.spi.etcdserverpb.MemberListResponse;
import io.etcetera.spi.transport.PeerRequestException;
import io.etcetera.spi.transport.PeerRequestHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * The membership calls members answer on the peer port (etcd's {@code /members} and
 * {@code /members/promote/<id>} peer handlers, {@code etcdserver/api/etcdhttp/peer.go}):
 *
 * <ul>
 *   <li>{@value #MEMBERS}: the cluster id and every member, for a member joining with
 *       {@code --initial-cluster-state existing} ({@code from} may be 0). Body ignored; answer:
 *       the cluster id in lowercase hex, then one line per member with etcd's member JSON
 *       ({@link ClusterMember#toJson()}), lines separated by {@code \n}, UTF-8.</li>
 *   <li>{@value #PROMOTE}: a follower forwards {@code member promote} to the leader. Body: the
 *       learner id, 8 bytes big-endian; answer: the encoded {@link MemberListResponse} of the
 *       members once applied, or a failure whose message is etcd's error message.</li>
 * </ul>
 *
 * Thread-safe; never blocks the calling I/O thread.
 */
final class MembershipPeerService implements PeerRequestHandler {

    /** The method a joining member calls. */
    static final String MEMBERS = "members";
    /** The method a follower calls on the leader to promote a learner. */
    static final String PROMOTE = "member.promote";

    private final long clusterId;
    private final Membership membership;
    private final LongFunction<CompletableFuture<MemberListResponse>> promote;

    /**
     * @param promote promotes a learner as leader ({@link ClusterServer#promoteAsLeader})
     */
    MembershipPeerService(long clusterId, Membership membership,
            LongFunction<CompletableFuture<MemberListResponse>> promote) {
        this.clusterId = clusterId;
        this.membership = membership;
        this.promote = promote;
    }

    /** Registers {@value #MEMBERS} and {@value #PROMOTE} with the member's peer request registry. */
    void register(PeerRequests requests) {
        requests.register(MEMBERS, (from, body) -> onRequest(from, MEMBERS, body));
        requests.register(PROMOTE, (from, body) -> onRequest(from, PROMOTE, body));
    }

    @Override
    public CompletableFuture<byte[]> onRequest(long from, String method, byte[] body) {
        return switch (method) {
            case MEMBERS -> CompletableFuture.completedFuture(encodeCluster(clusterId, membership.members()));
            case PROMOTE -> {
                if (body.length != Long.BYTES) {
                    yield CompletableFuture.failedFuture(new PeerRequestException("a promotion names one member id"));
                }
                // a failure's message (etcd's error text) goes back to the follower
                yield promote.apply(ByteBuffer.wrap(body).getLong()).thenApply(MemberListResponse::toByteArray);
            }
            default -> CompletableFuture.failedFuture(new PeerRequestException("unknown peer request method " + method));
        };
    }

    /** The {@value #MEMBERS} answer for {@code clusterId} and {@code members}. */
    static byte[] encodeCluster(long clusterId, List<ClusterMember> members) {
        StringBuilder out = new StringBuilder(MemberIdentity.toHex(clusterId));
        for (ClusterMember member : members) {
            out.append('\n').append(new String(member.toJson(), StandardCharsets.UTF_8));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A cluster as a peer described it.
     *
     * @param clusterId the cluster's id
     * @param members its members, in unsigned id order
     */
    record RemoteCluster(long clusterId, List<ClusterMember> members) {
    }

    /**
     * Parses a {@value #MEMBERS} answer.
     *
     * @throws IllegalArgumentException when {@code answer} is not one
     */
    static RemoteCluster decodeCluster(byte[] answer) {
        String[] lines = new String(answer, StandardCharsets.UTF_8).split("\n");
        long clusterId = Long.parseUnsignedLong(lines[0].trim(), 16);
        List<ClusterMember> members = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            members.add(ClusterMember.fromJson(lines[i].getBytes(StandardCharsets.UTF_8)));
        }
        members.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return new RemoteCluster(clusterId, List.copyOf(members));
    }
}
