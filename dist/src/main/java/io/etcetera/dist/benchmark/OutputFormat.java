package io.etcetera.dist.benchmark;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -w/--write-out}: etcd's text report ({@code simple}) or one JSON line ({@code json}). */
enum OutputFormat {
    SIMPLE, JSON;

    /** picocli converter accepting the lowercase names. */
    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return Arrays.stream(values()).filter(format -> format.name().toLowerCase(Locale.ROOT).equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is not simple or json"));
        }
    }
}
