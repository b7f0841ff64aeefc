package io.etcetera.kernel.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The WAL holds a damaged record that is not a torn write at its very tail: acknowledged data may
 * be lost, so the member refuses to start rather than serve a state that silently misses writes.
 */
public final class WalCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    WalCorruptedException(Path segment, long offset, String problem) {
        super("WAL segment " + segment + " is corrupt at byte offset " + offset + ": " + problem);
    }

    WalCorruptedException(String message) {
        super(message);
    }
}
