package io.etcetera.dist.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One option etcd 3.4 documents (or one of etcetera's plugin choices), with the three spellings
 * it has: the flag {@code --data-dir}, the variable {@code ETCD_DATA_DIR} and the config-file key
 * {@code data-dir}. Immutable and thread-safe.
 *
 * @param name the flag name without dashes, which is also the config-file key
 * @param kind the value syntax
 * @param defaultValue etcd's default, as raw text parsed by {@code kind}
 * @param support whether etcetera acts on it
 * @param description the help text
 * @param choices the allowed values when {@code kind} is {@link OptionKind#CHOICE}, else empty
 * @param note why an option is not acted on yet or refused, shown in the warning or error
 * @param configFileKey whether the option is a top-level config-file key (false for
 *     {@code --config-file}, {@code --version} and the TLS flags, which a config file spells
 *     under {@code client-transport-security} / {@code peer-transport-security})
 */
public record EtcdOption(
        String name,
        OptionKind kind,
        String defaultValue,
        Support support,
        String description,
        List<String> choices,
        String note,
        boolean configFileKey) {

    /** The prefix of etcd's environment variables. */
    public static final String ENV_PREFIX = "ETCD_";

    public EtcdOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(support, "support");
        choices = List.copyOf(choices);
        if (kind == OptionKind.CHOICE && !choices.contains(defaultValue)) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " is not a choice");
        }
    }

    /** {@code --<name>}. */
    public String flag() {
        return "--" + name;
    }

    /**
     * The environment variable etcd reads for this option: {@code ETCD_} then the name upper-cased
     * with {@code -} as {@code _} (etcd {@code pkg/flags/flag.go FlagToEnv}).
     */
    public String environmentVariable() {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Parses {@code raw} from {@code origin}.
     *
     * @throws ConfigException {@code invalid value "<raw>" for <origin>: <reason>} when malformed
     */
    public Object parse(String raw, Origin origin) {
        try {
            return kind.parse(raw, choices);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid value \"" + raw + "\" for " + origin.label() + ": " + e.getMessage(), e);
        }
    }

    /** etcd's default, parsed. */
    public Object parsedDefault() {
        return parse(defaultValue, Origin.defaultOf(name));
    }

    /** Whether the option is a switch that may be given without a value ({@code --enable-pprof}). */
    public boolean isSwitch() {
        return kind == OptionKind.BOOL;
    }
}
