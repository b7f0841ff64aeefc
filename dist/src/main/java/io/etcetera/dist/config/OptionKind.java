package io.etcetera.dist.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value syntax of an etcd option, with etcd's parsing rules (Go's {@code flag} package and
 * etcd's {@code pkg/flags} value types). Each kind turns the raw text of a flag, variable or
 * config-file value into a Java value. Stateless and thread-safe.
 */
public enum OptionKind {
    /** Any text. Parsed as {@link String}. */
    STRING {
        @Override
        Object parse(String raw, List<String> choices) {
            return raw;
        }
    },
    /** Go's {@code strconv.ParseBool}: {@code 1 t T TRUE true True 0 f F FALSE false False}. */
    BOOL {
        @Override
        Object parse(String raw, List<String> choices) {
            return switch (raw.strip()) {
                case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
                case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a boolean (true or false)");
            };
        }
    },
    /** An unsigned 64-bit integer (Go {@code uint}). Parsed as {@link Long}. */
    UINT {
        @Override
        Object parse(String raw, List<String> choices) {
            return parseInteger(raw, 0, Long.MAX_VALUE, "not an unsigned integer");
        }
    },
    /** An unsigned 32-bit integer ({@code pkg/flags Uint32Value}). Parsed as {@link Long}. */
    UINT32 {
        @Override
        Object parse(String raw, List<String> choices) {
            return parseInteger(raw, 0, 0xFFFF_FFFFL, "not an unsigned 32-bit integer");
        }
    },
    /** A signed 64-bit integer (Go {@code int64}). Parsed as {@link Long}. */
    INT64 {
        @Override
        Object parse(String raw, List<String> choices) {
            return parseInteger(raw, Long.MIN_VALUE, Long.MAX_VALUE, "not an integer");
        }
    },
    /** A Go duration such as {@code 100ms} or {@code 2h}. Parsed as {@link java.time.Duration}. */
    DURATION {
        @Override
        Object parse(String raw, List<String> choices) {
            return GoDuration.parse(raw);
        }
    },
    /** A comma-separated URL list, see {@link EtcdUrls}. Parsed as {@code List<URI>}; empty text is an empty list. */
    URLS {
        @Override
        Object parse(String raw, List<String> choices) {
            return raw.isBlank() ? List.of() : EtcdUrls.parseList(raw);
        }
    },
    /** A comma-separated URL list to bind: {@link #URLS} whose hosts are IPs or {@code localhost}. */
    BIND_URLS {
        @Override
        Object parse(String raw, List<String> choices) {
            @SuppressWarnings("unchecked")
            List<java.net.URI> urls = (List<java.net.URI>) URLS.parse(raw, choices);
            EtcdUrls.requireBindable(urls);
            return urls;
        }
    },
    /** A comma-separated list of words, duplicates dropped. Parsed as {@code List<String>}. */
    STRINGS {
        @Override
        Object parse(String raw, List<String> choices) {
            Set<String> words = new LinkedHashSet<>();
            for (String word : raw.split(",")) {
                if (!word.isBlank()) {
                    words.add(word.strip());
                }
            }
            return List.copyOf(words);
        }
    },
    /** One of the option's listed choices ({@code pkg/flags SelectiveStringValue}). Parsed as {@link String}. */
    CHOICE {
        @Override
        Object parse(String raw, List<String> choices) {
            String value = raw.strip();
            if (!choices.contains(value)) {
                throw new IllegalArgumentException("valid values are " + String.join(", ", choices));
            }
            return value;
        }
    },
    /** {@code name=url,name=url}, see {@link InitialCluster}. */
    INITIAL_CLUSTER {
        @Override
        Object parse(String raw, List<String> choices) {
            return InitialCluster.parse(raw);
        }
    },
    /** Lowercase plugin ids, comma-separated ({@code grpc}, {@code grpc,rest}). Parsed as {@code List<String>}. */
    PLUGIN_IDS {
        @Override
        Object parse(String raw, List<String> choices) {
            List<String> ids = new ArrayList<>();
            for (String id : raw.split(",", -1)) {
                String candidate = id.strip();
                requirePluginId(candidate);
                if (!ids.contains(candidate)) {
                    ids.add(candidate);
                }
            }
            return List.copyOf(ids);
        }
    },
    /** One lowercase plugin id ({@code rocksdb}). Parsed as {@link String}. */
    PLUGIN_ID {
        @Override
        Object parse(String raw, List<String> choices) {
            String id = raw.strip();
            requirePluginId(id);
            return id;
        }
    };

    private static final Pattern PLUGIN_ID_SYNTAX = Pattern.compile("[a-z][a-z0-9-]*");

    /**
     * Parses {@code raw}.
     *
     * @param choices the allowed values, for {@link #CHOICE} only
     * @throws IllegalArgumentException with the reason (not the option name) when malformed
     */
    abstract Object parse(String raw, List<String> choices);

    /** How the value is shown in help: {@code <urls>}, {@code <uint>}... */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static long parseInteger(String raw, long min, long max, String reason) {
        String digits = raw.strip().replace("_", "");
        try {
            long value = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16)
                    : Long.parseLong(digits);
            if (value < min || value > max) {
                throw new IllegalArgumentException(reason + " in range " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(reason, e);
        }
    }

    private static void requirePluginId(String id) {
        if (!PLUGIN_ID_SYNTAX.matcher(id).matches()) {
            throw new IllegalArgumentException("a plugin id is lowercase letters, digits and '-' (e.g. rocksdb, grpc)");
        }
    }
}
