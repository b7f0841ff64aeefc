package io.etcetera.dist.benchmark;

/**
 * A benchmark could not run at all (an endpoint refuses a watch or a lease grant, no leader among
 * the endpoints); the message names the step and the server's answer. Requests that fail during
 * a run are not exceptions: they are counted in the report's error distribution.
 */
final class BenchmarkException extends Exception {

    private static final long serialVersionUID = 1L;

    BenchmarkException(String message) {
        super(message);
    }
}
