package io.etcetera.dist.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted etcdctl session read from a class-path resource.
 *
 * <p>Format, one step per line: etcdctl arguments, split on blanks, with {@code "..."} or
 * {@code '...'} quoting ({@code ""} is an empty argument). A line ending in {@code <<EOF} takes
 * the following lines up to a line {@code EOF} as standard input (each line ends with a newline).
 * The line {@code !restart} stops each member (SIGTERM) and starts it again on its data dir.
 * Blank lines and lines starting with {@code #} are skipped.
 *
 * @param resource the class-path resource the steps came from
 * @param steps the steps in order
 */
record EtcdctlScript(String resource, List<Step> steps) {

    private static final String HEREDOC = "<<EOF";

    private static final String RESTART = "!restart";

    /** One step of the script. */
    sealed interface Step permits Invocation, Restart {
        /** 1-based line of the step in the script. */
        int line();
    }

    /**
     * Stop every member gracefully and start it again on the same data dir and ports.
     *
     * @param line 1-based line of the step in the script
     */
    record Restart(int line) implements Step {
    }

    /**
     * One etcdctl invocation.
     *
     * @param line 1-based line of the step in the script
     * @param args etcdctl arguments after {@code --endpoints}
     * @param stdin standard input, empty if none
     */
    record Invocation(int line, List<String> args, String stdin) implements Step {
        /** The step as a shell-like command line, for reports. */
        String commandLine() {
            StringBuilder text = new StringBuilder("etcdctl");
            for (String arg : args) {
                text.append(' ').append(arg.isEmpty() || arg.contains(" ") ? "\"" + arg + "\"" : arg);
            }
            if (!stdin.isEmpty()) {
                text.append(" <<EOF\n").append(stdin).append("EOF");
            }
            return text.toString();
        }
    }

    /** Loads and parses {@code resource} from this class's class loader. */
    static EtcdctlScript load(String resource) {
        try (InputStream in = EtcdctlScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no class-path resource " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Parses script text; {@code resource} names it in errors. */
    static EtcdctlScript parse(String resource, String text) {
        List<String> lines = text.lines().toList();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int stepLine = i + 1;
            if (line.equals(RESTART)) {
                steps.add(new Restart(stepLine));
                continue;
            }
            StringBuilder stdin = new StringBuilder();
            if (line.endsWith(HEREDOC)) {
                line = line.substring(0, line.length() - HEREDOC.length()).strip();
                i++;
                while (i < lines.size() && !lines.get(i).equals("EOF")) {
                    stdin.append(lines.get(i)).append('\n');
                    i++;
                }
                if (i == lines.size()) {
                    throw new IllegalArgumentException(resource + ":" + stepLine + ": heredoc without EOF line");
                }
            }
            steps.add(new Invocation(stepLine, split(resource, stepLine, line), stdin.toString()));
        }
        return new EtcdctlScript(resource, List.copyOf(steps));
    }

    private static List<String> split(String resource, int lineNumber, String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current = current == null ? new StringBuilder() : current;
            } else if (Character.isWhitespace(c)) {
                if (current != null) {
                    args.add(current.toString());
                    current = null;
                }
            } else {
                current = current == null ? new StringBuilder() : current;
                current.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(resource + ":" + lineNumber + ": unclosed quote");
        }
        if (current != null) {
            args.add(current.toString());
        }
        return List.copyOf(args);
    }
}
