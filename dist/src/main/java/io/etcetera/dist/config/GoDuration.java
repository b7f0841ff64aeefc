package io.etcetera.dist.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go's duration syntax ({@code time.ParseDuration}), which etcd's duration flags use:
 * a sequence of decimal numbers each with a unit, such as {@code 300ms}, {@code 1.5h} or
 * {@code 2h45m}; units {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m},
 * {@code h}; an optional sign; {@code 0} alone needs no unit. Stateless and thread-safe.
 */
final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * Returns the duration {@code text} denotes.
     *
     * @throws IllegalArgumentException when {@code text} is not a Go duration
     */
    static Duration parse(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("not a duration (e.g. 100ms, 5s, 1h30m)");
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
            end = m.end();
            m.region(end, s.length());
        }
        if (end != s.length()) {
            throw new IllegalArgumentException("not a duration (e.g. 100ms, 5s, 1h30m)");
        }
        Duration d = Duration.ofNanos(nanos.longValueExact());
        return negative ? d.negated() : d;
    }
}
