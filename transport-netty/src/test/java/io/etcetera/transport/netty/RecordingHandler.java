package io.etcetera.transport.netty;

import io.etcetera.spi.transport.PeerHandler;
import io.etcetera.spi.transport.SnapshotStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link PeerHandler} that records every callback; snapshots go to a pluggable receiver. */
final class RecordingHandler implements PeerHandler {

    /** What to do with an inbound snapshot. */
    interface SnapshotReceiver {
        void receive(long from, byte[] metadata, InputStream data) throws IOException;
    }

    record Status(long memberId, SnapshotStatus status) {
    }

    final Map<Long, List<byte[]>> messagesByPeer = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> unreachableByPeer = new ConcurrentHashMap<>();
    final List<Status> snapshotStatuses = new CopyOnWriteArrayList<>();
    final Set<Long> removed = ConcurrentHashMap.newKeySet();
    volatile SnapshotReceiver snapshotReceiver = (from, metadata, data) -> data.transferTo(OutputStream.nullOutputStream());

    @Override
    public void onMessage(long from, byte[] message) {
        messagesByPeer.computeIfAbsent(from, id -> new CopyOnWriteArrayList<>()).add(message);
    }

    @Override
    public void onSnapshot(long from, byte[] metadata, InputStream data) throws IOException {
        snapshotReceiver.receive(from, metadata, data);
    }

    @Override
    public void unreachable(long memberId) {
        unreachableByPeer.computeIfAbsent(memberId, id -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void snapshotStatus(long memberId, SnapshotStatus status) {
        snapshotStatuses.add(new Status(memberId, status));
    }

    @Override
    public boolean isRemoved(long memberId) {
        return removed.contains(memberId);
    }

    List<byte[]> messagesFrom(long memberId) {
        return messagesByPeer.getOrDefault(memberId, List.of());
    }

    int unreachableCount(long memberId) {
        AtomicInteger count = unreachableByPeer.get(memberId);
        return count == null ? 0 : count.get();
    }
}
