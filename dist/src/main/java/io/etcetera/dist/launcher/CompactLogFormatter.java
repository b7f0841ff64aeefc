package io.etcetera.dist.launcher;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record, in the shape of etcd's capnslog lines on stderr:
 * {@code 2026-11-22 01:52:07.596589 W | dist: message}, time in UTC, level as one letter
 * ({@code E}rror, {@code W}arning, {@code I}nfo, {@code D}ebug, {@code T}race), then the
 * component: the segment after {@code io.etcetera.} of the logger name ({@code kernel},
 * {@code dist}, {@code storage}), or the whole name for other libraries' loggers. A thrown
 * exception is appended as {@code : <exception>}, without a stack trace. Thread-safe.
 */
public final class CompactLogFormatter extends Formatter {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final String OUR_PREFIX = "io.etcetera.";

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append(TIME.format(record.getInstant()))
                .append(' ').append(letter(record.getLevel()))
                .append(" | ").append(component(record.getLoggerName()))
                .append(": ").append(formatMessage(record).replace('\n', ' '));
        if (record.getThrown() != null) {
            line.append(": ").append(String.valueOf(record.getThrown()).replace('\n', ' '));
        }
        return line.append(System.lineSeparator()).toString();
    }

    static char letter(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return 'E';
        } else if (value >= Level.WARNING.intValue()) {
            return 'W';
        } else if (value >= Level.CONFIG.intValue()) {
            return 'I';
        } else if (value >= Level.FINE.intValue()) {
            return 'D';
        }
        return 'T';
    }

    static String component(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "etcetera";
        }
        if (!loggerName.startsWith(OUR_PREFIX)) {
            return loggerName;
        }
        String rest = loggerName.substring(OUR_PREFIX.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
