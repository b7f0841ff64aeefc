package io.etcetera.kernel.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A transport for kernel tests that records every Raft message sent, with the thread that sent it
 * and a counter read at that moment (the WAL's fsyncs, to tell whether an answer followed its
 * fsync). Thread-safe.
 */
final class RecordingPeerTransport extends QuietPeerTransport {

    /** A message sent, the thread it was sent on, and the counter's value then. */
    record Sent(Message message, Thread thread, int counter) {
    }

    private final IntSupplier counter;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    /** Records {@code counter}'s value with each message sent. */
    RecordingPeerTransport(IntSupplier counter) {
        this.counter = counter;
    }

    /** What was sent so far, in order. */
    List<Sent> sent() {
        return sent;
    }

    @Override
    public void send(long to, byte[] message) {
        try {
            sent.add(new Sent(Message.parseFrom(message), Thread.currentThread(), counter.getAsInt()));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the loop sent an undecodable message", e);
        }
    }
}
