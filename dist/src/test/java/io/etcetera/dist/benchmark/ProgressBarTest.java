package io.etcetera.dist.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersDoneOfTotalWithABarAndPercentage() {
        assertThat(ProgressBar.render(4500, 10000, 1))
                .isEqualTo(" 4500 / 10000 [==================>                     ]  45.00% 1s");
        assertThat(ProgressBar.render(10, 10, 3)).isEqualTo(" 10 / 10 [========================================] 100.00% 3s");
    }

    @Test
    void aDisabledBarPrintsNothingAndAnEnabledOneEndsItsLine() {
        StringWriter disabled = new StringWriter();
        ProgressBar.start(new PrintWriter(disabled), 10, () -> 10, false).close();
        assertThat(disabled.toString()).isEmpty();

        StringWriter enabled = new StringWriter();
        ProgressBar.start(new PrintWriter(enabled), 10, () -> 10, true).close();
        assertThat(enabled.toString()).startsWith("\r").endsWith("] 100.00% 0s" + System.lineSeparator());
    }
}
