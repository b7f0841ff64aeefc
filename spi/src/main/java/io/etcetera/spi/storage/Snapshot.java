package io.etcetera.spi.storage;

/**
 * A consistent, point-in-time read view: it sees every batch committed before it was taken and
 * none committed after, and it does not block writers. Must be closed to release the engine's
 * resources. Thread-safe until closed.
 */
public interface Snapshot extends ReadView, AutoCloseable {
    @Override
    void close();
}
