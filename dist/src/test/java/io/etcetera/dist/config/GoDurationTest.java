package io.etcetera.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void parsesEveryGoUnit() {
        assertThat(GoDuration.parse("5ns")).isEqualTo(Duration.ofNanos(5));
        assertThat(GoDuration.parse("7us")).isEqualTo(Duration.ofNanos(7_000));
        assertThat(GoDuration.parse("7µs")).isEqualTo(Duration.ofNanos(7_000));
        assertThat(GoDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(GoDuration.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(GoDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(GoDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void parsesSequencesFractionsSignsAndBareZero() {
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDuration.parse("-2s")).isEqualTo(Duration.ofSeconds(-2));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejectsNumbersWithoutUnitAndUnknownUnits() {
        assertThatThrownBy(() -> GoDuration.parse("100")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> GoDuration.parse("5d")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> GoDuration.parse("")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> GoDuration.parse("1h x")).hasMessageContaining("not a duration");
    }
}
