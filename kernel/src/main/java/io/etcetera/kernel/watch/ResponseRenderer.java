package io.etcetera.kernel.watch;

import com.google.protobuf.CodedOutputStream;
import io.etcetera.kernel.mvcc.MvccStore;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.RangeRequest;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Turns buffered events into the {@code WatchResponse}s a client receives, as etcd's
 * {@code serverWatchStream.sendLoop} does at send time:
 * <ul>
 *   <li>the header: cluster_id, member_id, raft_term now, and the buffered revision;</li>
 *   <li>{@code prev_kv}, for watchers that asked: the key's value at {@code mod_revision - 1},
 *       read from the store, for every event but a creation ({@code create_revision ==
 *       mod_revision}); left unset when that revision is compacted or the key did not exist;</li>
 *   <li>fragments, for watchers that asked: a response of two or more events whose size reaches
 *       the fragment size is split into responses holding as many events as fit, each with
 *       {@code fragment=true} but the last (etcd {@code sendFragments}).</li>
 * </ul>
 * Thread-safe.
 */
final class ResponseRenderer {

    private final MvccStore mvcc;
    private final LongFunction<ResponseHeader> headers;
    private final long fragmentBytes;

    /**
     * @param headers a full header for a revision (cluster, member, current term)
     * @param fragmentBytes the size, in bytes, from which fragmenting watchers' responses are split
     */
    ResponseRenderer(MvccStore mvcc, LongFunction<ResponseHeader> headers, long fragmentBytes) {
        this.mvcc = mvcc;
        this.headers = headers;
        this.fragmentBytes = fragmentBytes;
    }

    /** {@code response} with its header filled for the revision it carries. */
    WatchResponse stamp(WatchResponse response) {
        return response.toBuilder().setHeader(headers.apply(response.getHeader().getRevision())).build();
    }

    /** A response with only the header revision set, for {@link #stamp} to fill at delivery. */
    static WatchResponse.Builder at(long revision) {
        return WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(revision));
    }

    /** The responses for {@code events} of {@code watcher} as of {@code revision}. */
    List<WatchResponse> render(Watcher watcher, long revision, List<Event> events) {
        WatchResponse.Builder response = WatchResponse.newBuilder()
                .setHeader(headers.apply(revision))
                .setWatchId(watcher.id());
        for (Event event : events) {
            response.addEvents(watcher.prevKv() ? withPrevKv(event) : event);
        }
        WatchResponse whole = response.build();
        return watcher.fragment() ? fragments(whole, fragmentBytes) : List.of(whole);
    }

    private Event withPrevKv(Event event) {
        if (event.getType() == Event.EventType.PUT && event.getKv().getCreateRevision() == event.getKv().getModRevision()) {
            return event;
        }
        try {
            RangeResponse previous = mvcc.range(RangeRequest.newBuilder()
                    .setKey(event.getKv().getKey()).setRevision(event.getKv().getModRevision() - 1).build());
            return previous.getKvsCount() == 0 ? event : event.toBuilder().setPrevKv(previous.getKvs(0)).build();
        } catch (EtcdException e) {
            // compacted: etcd sends the event without prev_kv
            return event;
        }
    }

    /** etcd's {@code sendFragments}: splits {@code whole} into responses below {@code maxBytes}. */
    static List<WatchResponse> fragments(WatchResponse whole, long maxBytes) {
        if (whole.getSerializedSize() < maxBytes || whole.getEventsCount() < 2) {
            return List.of(whole);
        }
        WatchResponse base = whole.toBuilder().clearEvents().setFragment(true).build();
        long baseBytes = base.getSerializedSize();
        List<WatchResponse> fragments = new ArrayList<>();
        int next = 0;
        while (next < whole.getEventsCount()) {
            WatchResponse.Builder fragment = base.toBuilder();
            long bytes = baseBytes;
            while (next < whole.getEventsCount()) {
                Event event = whole.getEvents(next);
                long eventBytes = CodedOutputStream.computeMessageSize(WatchResponse.EVENTS_FIELD_NUMBER, event);
                if (fragment.getEventsCount() >= 1 && bytes + eventBytes >= maxBytes) {
                    break;
                }
                fragment.addEvents(event);
                bytes += eventBytes;
                next++;
            }
            if (next == whole.getEventsCount()) {
                fragment.setFragment(false);
            }
            fragments.add(fragment.build());
        }
        return fragments;
    }
}
