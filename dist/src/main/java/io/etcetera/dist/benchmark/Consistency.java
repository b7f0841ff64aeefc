package io.etcetera.dist.benchmark;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --consistency} of reads, as etcd's benchmark: {@code l} linearizable (the default; the
 * server confirms it is current first, ReadIndex) or {@code s} serializable (answered from the
 * member's local state, {@code RangeRequest.serializable = true}).
 */
enum Consistency {
    LINEARIZABLE, SERIALIZABLE;

    /** True for {@code RangeRequest.serializable}. */
    boolean serializable() {
        return this == SERIALIZABLE;
    }

    /** picocli converter for etcd's {@code l} and {@code s}. */
    static final class Converter implements ITypeConverter<Consistency> {
        @Override
        public Consistency convert(String value) {
            return switch (value) {
                case "l" -> LINEARIZABLE;
                case "s" -> SERIALIZABLE;
                default -> throw new TypeConversionException("'" + value + "' is not l (linearizable) or s (serializable)");
            };
        }
    }
}
