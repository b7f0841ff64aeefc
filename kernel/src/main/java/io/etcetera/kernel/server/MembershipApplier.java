package io.etcetera.kernel.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.apply.MembershipEntries;
import io.etcetera.kernel.apply.Wait;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.kernel.raft.pb.ConfChange;
import io.etcetera.kernel.raft.pb.ConfChangeType;
import io.etcetera.kernel.raft.pb.Entry;
import io.etcetera.kernel.server.pb.MemberAttributesRequest;
import io.etcetera.spi.etcdserverpb.MemberListResponse;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Optional;

/**
 * Applies membership entries on the apply thread, in log order with every other entry (etcd's
 * {@code applyConfChange} and the v2 {@code publish} PUT): a conf change's new membership and a
 * member's published attributes are written in the backend batch that stores the entry's index
 * as the consistent index, then published to readers, then the listener hears of the change (the
 * member adds, updates or removes the peer in its transport, or stops when it was removed).
 *
 * <p>The Raft node applies the same conf change to its own configuration (voters, learners) when
 * it hands the entry out ({@link io.etcetera.kernel.raft.RaftNode#advance}), so this applier never
 * refuses one: requests are checked before they are proposed ({@link ClusterServer}), and an entry
 * that names what is already true (a replayed bootstrap entry, a member already known to a member
 * that joined) changes nothing. Shapes of a conf change's context: etcd's member JSON
 * ({@link ClusterMember#toJson()}); empty for a removal and for the bootstrap entries.
 *
 * <ul>
 *   <li>{@code ConfChangeAddNode}/{@code ConfChangeAddLearnerNode} of an unknown id adds the
 *       member from the context (a learner for the latter); {@code ConfChangeAddNode} of a known
 *       learner promotes it (etcd's {@code IsPromote}).</li>
 *   <li>{@code ConfChangeRemoveNode} removes the member and remembers its id as removed.</li>
 *   <li>{@code ConfChangeUpdateNode} replaces the member's peer URLs with the context's.</li>
 * </ul>
 *
 * <p>The proposer waiting on the conf change's id ({@code ConfChange.id}) gets a
 * {@link MemberListResponse} holding the members after the change (no header). Not thread-safe:
 * apply thread only.
 */
final class MembershipApplier implements MembershipEntries {

    private static final System.Logger LOG = System.getLogger(MembershipApplier.class.getName());

    /** Told about each applied change of the membership, on the apply thread. */
    interface Listener {
        /** The membership went from {@code before} to {@code after}; both are stored already. */
        void membershipChanged(Membership.Members before, Membership.Members after);
    }

    private final MvccStore mvcc;
    private final Membership membership;
    private final Wait wait;
    private final Listener listener;

    MembershipApplier(MvccStore mvcc, Membership membership, Wait wait, Listener listener) {
        this.mvcc = mvcc;
        this.membership = membership;
        this.wait = wait;
        this.listener = listener;
    }

    /**
     * Applies the conf change in {@code entry} and answers its proposer.
     *
     * @throws IllegalStateException when the entry holds no conf change (a corrupt log)
     */
    @Override
    public void applyConfChange(Entry entry) {
        ConfChange change;
        try {
            change = ConfChange.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("committed entry " + entry.getIndex() + " holds no ConfChange", e);
        }
        Membership.Members before = membership.current();
        Membership.Members after = next(before, change);
        commit(entry.getIndex(), before, after);
        if (change.getId() != 0) {
            wait.trigger(change.getId(), MemberListResponse.newBuilder()
                    .addAllMembers(ClusterServer.toProto(after.list())).build());
        }
    }

    /** Applies a member's published name and client URLs (ignored for an unknown or removed member). */
    @Override
    public void applyAttributes(long index, MemberAttributesRequest request) {
        Membership.Members before = membership.current();
        Optional<ClusterMember> member = before.member(request.getMemberID());
        Membership.Members after = member
                .map(m -> before.with(m.withAttributes(request.getName(),
                        request.getClientUrlsList().stream().map(URI::create).toList())))
                .orElse(before);
        if (member.isEmpty()) {
            LOG.log(Level.WARNING, "ignoring published attributes of unknown member {0}",
                    MemberIdentity.toHex(request.getMemberID()));
        }
        commit(index, before, after);
    }

    private void commit(long index, Membership.Members before, Membership.Members after) {
        if (after.equals(before)) {
            mvcc.saveConsistentIndex(index);
            return;
        }
        mvcc.saveConsistentIndex(index, batch -> membership.write(batch, after));
        membership.set(after);
        listener.membershipChanged(before, after);
    }

    private static Membership.Members next(Membership.Members now, ConfChange change) {
        long id = change.getNodeId();
        Optional<ClusterMember> known = now.member(id);
        return switch (change.getType()) {
            case ConfChangeAddNode, ConfChangeAddLearnerNode -> {
                if (known.isPresent()) {
                    boolean promote = change.getType() == ConfChangeType.ConfChangeAddNode
                            && known.get().isLearner();
                    yield promote ? now.with(known.get().promoted()) : now;
                }
                if (change.getContext().isEmpty() || now.removed().contains(id)) {
                    // A bootstrap entry: the member is stored already (or was removed since).
                    yield now;
                }
                ClusterMember added = ClusterMember.fromJson(change.getContext().toByteArray());
                boolean learner = change.getType() == ConfChangeType.ConfChangeAddLearnerNode;
                yield now.with(new ClusterMember(id, added.name(), added.peerUrls(), added.clientUrls(), learner));
            }
            case ConfChangeRemoveNode -> known.isPresent() || !now.removed().contains(id) ? now.without(id) : now;
            case ConfChangeUpdateNode -> known
                    .map(m -> now.with(m.withPeerUrls(ClusterMember.fromJson(change.getContext().toByteArray()).peerUrls())))
                    .orElse(now);
            case UNRECOGNIZED -> throw new IllegalStateException("unknown conf change type " + change.getTypeValue());
        };
    }
}
