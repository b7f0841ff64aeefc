package io.etcetera.dist.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * etcd's YAML configuration file ({@code --config-file}; etcd {@code embed/config.go
 * configFromFile}): a mapping whose keys are the flag names without dashes. URL lists are
 * comma-separated strings as on the command line; list-valued keys ({@code log-outputs},
 * {@code cipher-suites}, {@code cors}) may also be YAML sequences; TLS settings sit in the maps
 * {@code client-transport-security} and {@code peer-transport-security} with the keys
 * {@code cert-file}, {@code key-file}, {@code client-cert-auth}, {@code trusted-ca-file},
 * {@code auto-tls}. A key with no value ({@code name:}) keeps the default. Unlike etcd, which
 * ignores unknown keys, a key no option has fails, so that a misspelt key is not silently
 * dropped. Stateless and thread-safe.
 */
public final class YamlConfigFile {

    private static final Map<String, String> CLIENT_SECURITY_KEYS = Map.of(
            "cert-file", "cert-file", "key-file", "key-file", "client-cert-auth", "client-cert-auth",
            "trusted-ca-file", "trusted-ca-file", "auto-tls", "auto-tls");
    private static final Map<String, String> PEER_SECURITY_KEYS = Map.of(
            "cert-file", "peer-cert-file", "key-file", "peer-key-file", "client-cert-auth", "peer-client-cert-auth",
            "trusted-ca-file", "peer-trusted-ca-file", "auto-tls", "peer-auto-tls");

    private YamlConfigFile() {
    }

    /**
     * Reads {@code file} into raw values by option name.
     *
     * @throws ConfigException when the file cannot be read, is not a YAML mapping, or has an
     *     unknown key or a value of the wrong shape
     */
    public static Map<String, RawValue> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses config-file {@code text}; {@code fileName} names the file in messages.
     *
     * @throws ConfigException as {@link #read}
     */
    public static Map<String, RawValue> parse(String text, String fileName) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setLabel(fileName).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new ConfigException("config file " + fileName + " is not valid YAML: " + oneLine(e.getMessage()), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new ConfigException("config file " + fileName + " must be a mapping of option names to values");
        }
        Map<String, RawValue> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : root.entrySet()) {
            String key = String.valueOf(entry.getKey());
            switch (key) {
                case "client-transport-security" -> readSecurity(key, entry.getValue(), CLIENT_SECURITY_KEYS, fileName, values);
                case "peer-transport-security" -> readSecurity(key, entry.getValue(), PEER_SECURITY_KEYS, fileName, values);
                default -> {
                    EtcdOption option = EtcdOptions.byName(key)
                            .filter(EtcdOption::configFileKey)
                            .orElseThrow(() -> new ConfigException("unknown key \"" + key + "\" in config file " + fileName));
                    putScalar(key, option.name(), entry.getValue(), fileName, values);
                }
            }
        }
        return Collections.unmodifiableMap(values);
    }

    private static void readSecurity(String section, Object value, Map<String, String> optionBySubKey,
                                     String fileName, Map<String, RawValue> values) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(section + " in config file " + fileName + " must be a mapping");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String subKey = String.valueOf(entry.getKey());
            String optionName = optionBySubKey.get(subKey);
            if (optionName == null) {
                throw new ConfigException("unknown key \"" + section + "." + subKey + "\" in config file " + fileName);
            }
            putScalar(section + "." + subKey, optionName, entry.getValue(), fileName, values);
        }
    }

    private static void putScalar(String key, String optionName, Object value, String fileName, Map<String, RawValue> values) {
        if (value == null) {
            return;
        }
        String text;
        if (value instanceof List<?> list) {
            text = list.stream().map(String::valueOf).collect(Collectors.joining(","));
        } else if (value instanceof Map<?, ?>) {
            throw new ConfigException("invalid value for " + key + " in " + fileName + ": expected a single value, got a mapping");
        } else {
            text = String.valueOf(value);
        }
        values.put(optionName, new RawValue(text, Origin.configFile(key, fileName)));
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceAll("\\s+", " ").strip();
    }
}
