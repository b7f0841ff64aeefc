package io.etcetera.kernel.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcetera.kernel.raft.pb.Message;
import io.etcetera.kernel.raft.pb.MessageType;
import io.etcetera.kernel.snap.BackendDump;
import io.etcetera.kernel.snap.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The follower's side of a snapshot transfer (etcd's {@code snapshotHandler} with
 * {@code SaveDBFrom}): stores the streamed backend dump in a temp file, verifies it to its end,
 * and keeps it durably as {@code member/snap/<index>.snap.db}; the caller then hands the
 * {@code MsgSnap} to Raft, which decides whether to install it. Runs on a transport snapshot
 * thread and may block on I/O. Thread-safe (one file per transfer).
 */
public final class SnapshotReceiver {

    private static final System.Logger LOG = System.getLogger(SnapshotReceiver.class.getName());

    private final Snapshotter snapshotter;

    /** A receiver keeping dumps in {@code snapshotter}'s directory. */
    public SnapshotReceiver(Snapshotter snapshotter) {
        this.snapshotter = snapshotter;
    }

    /**
     * Stores and verifies the snapshot from {@code from}.
     *
     * @param metadata the encoded {@code MsgSnap}
     * @return the decoded {@code MsgSnap}, its dump kept under its snapshot index
     * @throws IOException when the metadata is not a {@code MsgSnap}, the stream fails, or the
     *     dump is damaged; nothing is kept then
     */
    public Message receive(long from, byte[] metadata, InputStream data) throws IOException {
        Message message;
        try {
            message = Message.parseFrom(metadata);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("snapshot metadata from " + MemberIdentity.toHex(from) + " is not a raft message", e);
        }
        if (message.getType() != MessageType.MsgSnap || !message.hasSnapshot()) {
            throw new IOException("snapshot metadata from " + MemberIdentity.toHex(from) + " is a " + message.getType());
        }
        long index = message.getSnapshot().getMetadata().getIndex();
        Path temp = snapshotter.newTempFile("receive-" + MemberIdentity.toHex(from));
        try {
            long bytes = Files.copy(data, temp, StandardCopyOption.REPLACE_EXISTING);
            BackendDump.Summary summary;
            try (InputStream in = Files.newInputStream(temp)) {
                summary = BackendDump.verify(in);
            }
            snapshotter.keepDb(temp, index);
            LOG.log(Level.INFO, "received snapshot at index {0,number,#} from {1}: {2,number,#} keys, {3,number,#} bytes",
                    index, MemberIdentity.toHex(from), summary.records(), bytes);
            return message;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
