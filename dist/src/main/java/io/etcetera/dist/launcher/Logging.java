package io.etcetera.dist.launcher;

import java.io.OutputStream;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends every {@code java.util.logging} (and so {@code System.Logger}) record to one stream,
 * stderr in the server as in etcd, as {@link CompactLogFormatter} lines, and maps etcd's
 * {@code --log-level} onto it. Changes process-wide logging state: call from the launcher's
 * thread before the server starts.
 */
public final class Logging {

    /** etcd's {@code --log-level} names to JUL levels; {@code panic} and {@code fatal} log errors only. */
    private static final Map<String, Level> LEVELS = Map.of(
            "debug", Level.FINE,
            "info", Level.INFO,
            "warn", Level.WARNING,
            "error", Level.SEVERE,
            "panic", Level.SEVERE,
            "fatal", Level.SEVERE);

    private Logging() {
    }

    /** Replaces the root logger's handlers with one that writes compact lines to {@code stream}. */
    public static void install(OutputStream stream) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new StreamHandler(stream, new CompactLogFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    /**
     * Sets the root level from etcd's {@code --log-level} value.
     *
     * @throws IllegalArgumentException for a name etcd does not accept
     */
    public static void setLevel(String etcdLevel) {
        Level level = LEVELS.get(etcdLevel);
        if (level == null) {
            throw new IllegalArgumentException("unknown log level " + etcdLevel);
        }
        Logger.getLogger("").setLevel(level);
    }
}
