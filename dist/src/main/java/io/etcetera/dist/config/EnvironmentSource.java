package io.etcetera.dist.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * etcd's {@code ETCD_*} environment variables ({@code pkg/flags/flag.go SetFlagsFromEnv}): each
 * option's variable is {@code ETCD_} plus its name upper-cased with {@code -} as {@code _}. An
 * empty variable counts as unset. A variable whose flag is also on the command line is an error,
 * as in etcd 3.4 ("conflicting environment variable ... is shadowed"); an {@code ETCD_*} variable
 * that names no option is reported as unrecognized. The variables are injected, never read from
 * the process here. Immutable and thread-safe.
 *
 * @param variables the environment, e.g. {@code System.getenv()}
 */
public record EnvironmentSource(Map<String, String> variables) {

    public EnvironmentSource {
        variables = Collections.unmodifiableMap(new TreeMap<>(variables));
    }

    /** What the environment contributes: values by option name, and lines to log. */
    public record Reading(Map<String, RawValue> values, List<Notice> notices) {
    }

    /** {@code ETCD_CONFIG_FILE}, when set and non-empty. */
    public Optional<String> configFile() {
        String value = variables.get(EtcdOptions.get(EtcdOptions.CONFIG_FILE).environmentVariable());
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * Reads every option's variable, skipping {@code --config-file} (read on its own by
     * {@link #configFile()}).
     *
     * @param setOnCommandLine the options given as flags
     * @throws ConfigException when a variable is shadowed by its flag
     */
    public Reading read(Map<String, RawValue> setOnCommandLine) {
        Map<String, RawValue> values = new LinkedHashMap<>();
        List<Notice> notices = new ArrayList<>();
        Map<String, EtcdOption> optionByVariable = new LinkedHashMap<>();
        EtcdOptions.all().forEach(o -> optionByVariable.put(o.environmentVariable(), o));
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String key = variable.getKey();
            if (!key.startsWith(EtcdOption.ENV_PREFIX)) {
                continue;
            }
            EtcdOption option = optionByVariable.get(key);
            if (option == null) {
                notices.add(Notice.warning("unrecognized environment variable " + key + "=" + variable.getValue()));
            } else if (setOnCommandLine.containsKey(option.name())) {
                throw new ConfigException("conflicting environment variable \"" + key
                        + "\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)");
            } else if (!variable.getValue().isEmpty() && !option.name().equals(EtcdOptions.CONFIG_FILE)) {
                values.put(option.name(), new RawValue(variable.getValue(), Origin.environment(key)));
                notices.add(Notice.info("recognized and used environment variable " + key + "=" + variable.getValue()));
            }
        }
        return new Reading(Collections.unmodifiableMap(values), List.copyOf(notices));
    }
}
