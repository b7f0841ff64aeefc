package io.etcetera.dist.config;

/**
 * How far etcetera honours an option etcd documents. Every option is parsed and validated with
 * etcd's rules whatever its support, so a script that etcd would reject fails here too.
 */
public enum Support {
    /** etcetera acts on the value. */
    ACTED_ON,
    /**
     * Accepted and validated but not acted on yet; harmless to ignore (tuning, logging,
     * multi-member settings of a single member). A value other than etcd's default logs a warning.
     */
    NOT_YET,
    /**
     * Ignoring a non-default value would silently weaken what the user asked for (TLS,
     * discovery, proxy mode): a value other than etcd's default fails at start.
     */
    REFUSED
}
