package io.etcetera.kernel.raft;

import com.google.protobuf.ByteString;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.quorum.MajorityConfig;
import io.etcetera.kernel.raft.quorum.VoteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A leader's pending ReadIndex requests (etcd/raft's {@code readOnly}, ReadOnlySafe): each waits,
 * with the commit index at its arrival, until a quorum of voters acknowledged a heartbeat that
 * carried its context, proving the leader was still the leader then (Raft dissertation,
 * section 6.4). Requests are answered in arrival order: a quorum for a later one confirms every
 * earlier one too. At most {@link #MAX_PENDING_READS} wait; beyond that a request is dropped.
 * Not thread-safe.
 */
final class ReadOnly {

    /** The most ReadIndex requests waiting for a heartbeat quorum. */
    static final int MAX_PENDING_READS = 4096;

    /** One request: the message that asked, the commit index to answer, who acknowledged. */
    record Status(Message request, long index, Map<Long, Boolean> acks) {
    }

    private final LinkedHashMap<ByteString, Status> pending = new LinkedHashMap<>();

    /**
     * Queues {@code request} (whose first entry's data is its context) to be answered with
     * {@code index}; a context already pending is ignored.
     *
     * @return whether it was queued
     */
    boolean add(long index, Message request) {
        ByteString ctx = request.getEntries(0).getData();
        if (pending.containsKey(ctx) || pending.size() >= MAX_PENDING_READS) {
            return false;
        }
        pending.put(ctx, new Status(request, index, new HashMap<>()));
        return true;
    }

    /** Records {@code from}'s acknowledgement of {@code ctx}; whether the voters now form a quorum. */
    boolean ack(long from, ByteString ctx, Set<Long> voters) {
        Status status = pending.get(ctx);
        if (status == null) {
            return false;
        }
        status.acks().put(from, true);
        return MajorityConfig.voteResult(voters, status.acks()) == VoteResult.WON;
    }

    /** Removes and returns the requests up to and including {@code ctx}, in arrival order. */
    List<Status> advance(ByteString ctx) {
        if (!pending.containsKey(ctx)) {
            return List.of();
        }
        List<Status> released = new ArrayList<>();
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            released.add(e.getValue());
            it.remove();
            if (e.getKey().equals(ctx)) {
                break;
            }
        }
        return released;
    }

    /** The context of the latest pending request, or {@code null}: the one a heartbeat carries. */
    ByteString lastPendingContext() {
        ByteString last = null;
        for (ByteString ctx : pending.keySet()) {
            last = ctx;
        }
        return last;
    }

    void clear() {
        pending.clear();
    }
}
