package io.etcetera.dist.config;

import java.util.Objects;

/**
 * A setting's text as the user wrote it, before parsing, and where it was written.
 *
 * @param text the value text ({@code "http://127.0.0.1:2379,http://10.0.0.1:2379"}, {@code "128"})
 * @param origin the flag, variable or config-file key it came from
 */
public record RawValue(String text, Origin origin) {

    public RawValue {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(origin, "origin");
    }
}
