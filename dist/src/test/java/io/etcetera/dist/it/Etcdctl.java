package io.etcetera.dist.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs real {@code etcdctl} (API v3, {@code ETCDCTL_API=3}) against one client endpoint.
 *
 * <p>Each run is bounded by {@link #RUN_TIMEOUT}. Thread-safety: immutable; runs may overlap.
 *
 * @param endpoint {@code host:port} of the member's client URL, e.g. {@code 127.0.0.1:40123}
 */
record Etcdctl(String endpoint) {

    /** Longest time one etcdctl invocation may take; etcdctl's own command timeout is 5 s. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(20);

    /** Runs {@code etcdctl --endpoints=<endpoint> args...} with empty standard input. */
    Command.Result run(String... args) {
        return run(List.of(args), "");
    }

    /**
     * Runs {@code etcdctl --endpoints=<endpoint> args...} feeding {@code stdin} (UTF-8).
     *
     * @return exit code (0 success, 1 server error, 2 bad arguments, 3 bad input) and output
     * @throws AssertionError if etcdctl does not finish within {@link #RUN_TIMEOUT}
     */
    Command.Result run(List<String> args, String stdin) {
        List<String> command = new ArrayList<>();
        command.add(Executables.ETCDCTL.toString());
        command.add("--endpoints=" + endpoint);
        command.addAll(args);
        return Command.run(command, env -> env.put("ETCDCTL_API", "3"), stdin, RUN_TIMEOUT);
    }
}
