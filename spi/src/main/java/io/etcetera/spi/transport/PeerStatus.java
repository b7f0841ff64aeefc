package io.etcetera.spi.transport;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a transport knows of one peer, for health checks, metrics and tests (etcd's
 * {@code peerStatus} and the {@code etcd_network_peer_*} metrics).
 *
 * @param memberId the peer
 * @param active whether an outbound connection is established and past its handshake
 * @param roundTripTimeMs the latest measured round-trip time of a ping on that connection, in
 *     milliseconds (fractional); empty until the first answer
 * @param sentMessages messages written to the peer since the transport started
 * @param sentBatches flushes (one system call each) that carried those messages
 * @param droppedMessages messages dropped because the queue was full or a write failed
 * @param lastError why the last dial, handshake or connection failed, e.g. the peer's refusal
 *     {@code cluster ID mismatch}; empty while none has failed since the last success
 */
public record PeerStatus(long memberId, boolean active, OptionalDouble roundTripTimeMs, long sentMessages,
                         long sentBatches, long droppedMessages, Optional<String> lastError) {
}
