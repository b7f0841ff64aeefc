package io.etcetera.dist.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command-line face of {@link EtcdOptions}: one picocli option per etcd flag, all typed as
 * text so that flags, {@code ETCD_*} variables and config-file keys are parsed by the same rules
 * and fail with the same messages. Go's flag syntax is accepted: {@code --name x},
 * {@code --name=x}, {@code -name x}, {@code -name=x}; a switch takes {@code --enable-pprof} or
 * {@code --enable-pprof=false}; a repeated flag keeps its last value. Stateless and thread-safe.
 */
public final class EtcdFlags {

    private EtcdFlags() {
    }

    /**
     * Adds an option for each flag in {@link EtcdOptions} to {@code spec}, except {@code --version}
     * and {@code --help}, which the command's standard help options provide. Options etcetera
     * refuses are accepted but hidden from the help.
     */
    public static void addTo(CommandSpec spec) {
        for (EtcdOption option : EtcdOptions.all()) {
            if (option.name().equals(EtcdOptions.VERSION)) {
                continue;
            }
            OptionSpec.Builder builder = OptionSpec.builder(option.flag())
                    .type(String.class)
                    .paramLabel("<" + option.kind().label() + ">")
                    .description(helpText(option))
                    .hidden(option.support() == Support.REFUSED);
            if (option.isSwitch()) {
                builder.arity("0..1").fallbackValue("true").paramLabel("<bool>");
            } else {
                builder.arity("1");
            }
            spec.addOption(builder.build());
        }
    }

    /** The etcd flags matched in {@code parseResult}, by option name, with their raw text; in argument order. */
    public static Map<String, RawValue> matched(ParseResult parseResult) {
        Map<String, RawValue> values = new LinkedHashMap<>();
        for (OptionSpec spec : parseResult.matchedOptions()) {
            String name = spec.longestName().substring(2);
            if (EtcdOptions.byName(name).isPresent() && spec.getValue() != null) {
                values.put(name, new RawValue(spec.getValue(), Origin.flag(name)));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Rewrites Go's single-dash long flags ({@code -name=x}) to the double-dash form picocli
     * parses; everything from a {@code --} separator on is left as is.
     */
    public static String[] normalizeGoSyntax(String[] args) {
        List<String> out = new ArrayList<>(args.length);
        boolean flagsEnded = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                flagsEnded = true;
            }
            out.add(!flagsEnded && isSingleDashLongFlag(arg) ? "-" + arg : arg);
        }
        return out.toArray(String[]::new);
    }

    private static boolean isSingleDashLongFlag(String arg) {
        if (!arg.startsWith("-") || arg.startsWith("--") || arg.length() < 3) {
            return false;
        }
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg.substring(1) : arg.substring(1, eq);
        return name.equals("help") || EtcdOptions.byName(name).isPresent();
    }

    private static String helpText(EtcdOption option) {
        String text = option.description();
        if (!option.defaultValue().isEmpty() && !text.contains("Default:")) {
            text += " Default: " + option.defaultValue() + ".";
        }
        if (option.support() == Support.NOT_YET) {
            text += " (Accepted, not acted on yet.)";
        }
        return text;
    }
}
