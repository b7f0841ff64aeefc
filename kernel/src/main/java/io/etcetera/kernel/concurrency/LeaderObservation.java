package io.etcetera.kernel.concurrency;

import com.google.protobuf.ByteString;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.RangeResponse;
import io.etcetera.spi.etcdserverpb.ResponseHeader;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.mvccpb.Event;
import io.etcetera.spi.mvccpb.KeyValue;
import io.etcetera.spi.server.ElectionService;
import io.etcetera.spi.server.KvService;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.v3electionpb.LeaderResponse;

/**
 * One {@code Election.Observe} (etcd {@code concurrency.Election.observe}), a loop of three
 * steps:
 * <ol>
 *   <li>read the first created key under the prefix;</li>
 *   <li>if there is none, watch the prefix from the read's revision until a key is put; that key
 *       is the leader, with header revision = its mod_revision;</li>
 *   <li>deliver the leader, then watch its key from the next revision, delivering each put
 *       (a new value) until it is deleted; then go back to 1.</li>
 * </ol>
 * A failed read or watch ends the observation ({@link ElectionService.LeaderSink#onEnd()}), as
 * etcd closes its channel. Deliveries are serialised by this object's lock. Thread-safe.
 */
final class LeaderObservation implements ElectionService.Observation {
    private final KvService kv;
    private final WatchService watches;
    private final ByteString prefix;
    private final ElectionService.LeaderSink sink;
    // guarded by this
    private KeyWatch watch;
    private boolean closed;

    private LeaderObservation(KvService kv, WatchService watches, ByteString prefix, ElectionService.LeaderSink sink) {
        this.kv = kv;
        this.watches = watches;
        this.prefix = prefix;
        this.sink = sink;
    }

    /** Starts observing the election whose keys start with {@code prefix}. */
    static LeaderObservation start(KvService kv, WatchService watches, ByteString prefix, ElectionService.LeaderSink sink) {
        LeaderObservation observation = new LeaderObservation(kv, watches, prefix, sink);
        observation.readLeader();
        return observation;
    }

    private void readLeader() {
        kv.range(CandidateKeys.firstCreated(prefix)).whenComplete(this::onLeaderRead);
    }

    private void onLeaderRead(RangeResponse read, Throwable failure) {
        if (failure != null) {
            end();
        } else if (read.getKvsCount() == 0) {
            watchFrom(prefix, CandidateKeys.prefixEnd(prefix), read.getHeader().getRevision(), new FirstCandidate());
        } else {
            follow(read.getHeader(), read.getKvs(0));
        }
    }

    /** Delivers {@code leader} and watches its key for new values and its deletion. */
    private void follow(ResponseHeader header, KeyValue leader) {
        if (deliver(header, leader)) {
            watchFrom(leader.getKey(), ByteString.EMPTY, header.getRevision() + 1, new LeaderKeyChanges());
        }
    }

    private synchronized boolean deliver(ResponseHeader header, KeyValue leader) {
        if (closed) {
            return false;
        }
        sink.onLeader(LeaderResponse.newBuilder().setHeader(header).setKv(leader).build());
        return true;
    }

    private synchronized void watchFrom(ByteString key, ByteString rangeEnd, long revision, KeyWatch.Listener listener) {
        if (closed) {
            return;
        }
        try {
            watch = KeyWatch.open(watches, key, rangeEnd, revision, listener);
        } catch (EtcdException e) {
            end();
        }
    }

    private void stopWatch() {
        KeyWatch current;
        synchronized (this) {
            current = watch;
            watch = null;
        }
        if (current != null) {
            current.close();
        }
    }

    private void end() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            sink.onEnd();
        }
        stopWatch();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopWatch();
    }

    /** Step 2: the first put under an empty prefix makes a leader. */
    private final class FirstCandidate implements KeyWatch.Listener {
        @Override
        public void onEvents(WatchResponse response) {
            for (Event event : response.getEventsList()) {
                if (event.getType() == Event.EventType.PUT) {
                    stopWatch();
                    KeyValue leader = event.getKv();
                    follow(response.getHeader().toBuilder().setRevision(leader.getModRevision()).build(), leader);
                    return;
                }
            }
        }

        @Override
        public void onFailure(EtcdException failure) {
            end();
        }
    }

    /** Step 3: the leader's new values, until its key is deleted. */
    private final class LeaderKeyChanges implements KeyWatch.Listener {
        @Override
        public void onEvents(WatchResponse response) {
            for (Event event : response.getEventsList()) {
                if (event.getType() == Event.EventType.DELETE) {
                    stopWatch();
                    readLeader();
                    return;
                }
                if (!deliver(response.getHeader(), event.getKv())) {
                    return;
                }
            }
        }

        @Override
        public void onFailure(EtcdException failure) {
            end();
        }
    }
}
