package io.etcetera.spi.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An outbound snapshot: metadata plus a stream of backend bytes that the transport reads in
 * chunks, never whole into memory.
 *
 * @param metadata small bytes delivered first (the encoded {@code raftpb.Message} of type
 *     {@code MsgSnap}); at most {@link TransportLimits#maxMessageBytes()}
 * @param sizeBytes the exact number of bytes {@code data} yields; the receiver checks it
 * @param data opens the byte stream; called once, on a transport snapshot thread; the transport
 *     closes the stream it returns
 */
public record SnapshotPayload(byte[] metadata, long sizeBytes, Source data) {

    /** Opens a fresh stream of the snapshot's bytes. */
    @FunctionalInterface
    public interface Source {
        /** @throws IOException when the stream cannot be opened; the transfer fails */
        InputStream open() throws IOException;
    }

    /**
     * @throws IllegalArgumentException when {@code sizeBytes} is negative
     * @throws NullPointerException when {@code metadata} or {@code data} is null
     */
    public SnapshotPayload {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
        }
    }
}
