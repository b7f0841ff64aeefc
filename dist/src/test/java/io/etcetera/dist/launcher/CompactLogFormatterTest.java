package io.etcetera.dist.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class CompactLogFormatterTest {

    private final CompactLogFormatter formatter = new CompactLogFormatter();

    @Test
    void formatsOneCapnslogShapedLine() {
        LogRecord record = record(Level.WARNING, "io.etcetera.dist.launcher", "ignoring --logger=zap");
        assertThat(formatter.format(record))
                .isEqualTo("2026-11-22 01:52:07.596589 W | dist: ignoring --logger=zap" + System.lineSeparator());
    }

    @Test
    void levelsMapToEtcdLetters() {
        assertThat(CompactLogFormatter.letter(Level.SEVERE)).isEqualTo('E');
        assertThat(CompactLogFormatter.letter(Level.WARNING)).isEqualTo('W');
        assertThat(CompactLogFormatter.letter(Level.INFO)).isEqualTo('I');
        assertThat(CompactLogFormatter.letter(Level.FINE)).isEqualTo('D');
        assertThat(CompactLogFormatter.letter(Level.FINEST)).isEqualTo('T');
    }

    @Test
    void componentIsOurModuleSegmentOrTheWholeForeignName() {
        assertThat(CompactLogFormatter.component("io.etcetera.kernel.EtceteraServer")).isEqualTo("kernel");
        assertThat(CompactLogFormatter.component("io.grpc.netty.NettyServer")).isEqualTo("io.grpc.netty.NettyServer");
        assertThat(CompactLogFormatter.component("")).isEqualTo("etcetera");
    }

    @Test
    void multiLineMessagesAndExceptionsStayOnOneLine() {
        LogRecord record = record(Level.SEVERE, "io.etcetera.kernel", "apply failed\nat revision 5");
        record.setThrown(new IOException("disk full"));
        assertThat(formatter.format(record)).isEqualTo(
                "2026-11-22 01:52:07.596589 E | kernel: apply failed at revision 5: java.io.IOException: disk full" + System.lineSeparator());
    }

    private static LogRecord record(Level level, String logger, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setInstant(Instant.parse("2026-11-22T01:52:07.596589Z"));
        return record;
    }
}
