package io.etcetera.transport.netty;

/** A peer broke the wire protocol (unknown frame, frame out of place, bad body); the connection is closed. */
final class ProtocolException extends RuntimeException {
    ProtocolException(String message) {
        super(message);
    }
}
