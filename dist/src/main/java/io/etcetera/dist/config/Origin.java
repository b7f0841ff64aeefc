package io.etcetera.dist.config;

/**
 * Where a setting came from, and how to name it back to the user in a message: {@code --name}
 * on the command line, {@code ETCD_NAME} in the environment, {@code name} in a config file.
 *
 * @param source the kind of source
 * @param label the option as the user wrote it, e.g. {@code --max-txn-ops},
 *     {@code ETCD_MAX_TXN_OPS} or {@code max-txn-ops in etcd.yml}
 */
public record Origin(Source source, String label) {

    /** The three places a setting can come from, and the default when it comes from none. */
    public enum Source { FLAG, ENVIRONMENT, CONFIG_FILE, DEFAULT }

    /** {@code --<flag>} on the command line. */
    public static Origin flag(String optionName) {
        return new Origin(Source.FLAG, "--" + optionName);
    }

    /** {@code ETCD_<FLAG>} in the environment. */
    public static Origin environment(String variable) {
        return new Origin(Source.ENVIRONMENT, variable);
    }

    /** {@code <key> in <file>}. */
    public static Origin configFile(String key, String file) {
        return new Origin(Source.CONFIG_FILE, key + " in " + file);
    }

    /** etcd's default for {@code --<flag>}. */
    public static Origin defaultOf(String optionName) {
        return new Origin(Source.DEFAULT, "--" + optionName);
    }

    /**
     * The setting as the user wrote it, for messages: {@code --name=x}, {@code ETCD_NAME=x},
     * {@code name: x in etcd.yml}.
     */
    public String describe(String text) {
        if (source == Source.CONFIG_FILE) {
            int in = label.indexOf(" in ");
            return label.substring(0, in) + ": " + text + label.substring(in);
        }
        return label + "=" + text;
    }

    /** Whether the user gave this setting (anything but a default). */
    public boolean explicit() {
        return source != Source.DEFAULT;
    }
}
