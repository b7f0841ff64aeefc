package io.etcetera.dist.config;

import java.lang.System.Logger.Level;

/**
 * A line the launcher logs about the configuration it resolved: a variable used, an option
 * accepted but not acted on. Resolution only collects notices, so it stays free of I/O.
 *
 * @param level {@link Level#INFO} or {@link Level#WARNING}
 * @param message one line
 */
public record Notice(Level level, String message) {

    /** An informational notice. */
    public static Notice info(String message) {
        return new Notice(Level.INFO, message);
    }

    /** A warning. */
    public static Notice warning(String message) {
        return new Notice(Level.WARNING, message);
    }
}
