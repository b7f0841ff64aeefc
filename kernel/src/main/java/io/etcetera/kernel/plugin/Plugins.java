package io.etcetera.kernel.plugin;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The providers of one extension point, by id. Thread-safe (immutable once built).
 *
 * @param <P> the provider type
 */
final class Plugins<P> {

    private static final System.Logger LOG = System.getLogger(Plugins.class.getName());

    private final String kind;
    private final SortedMap<String, P> byId;

    /**
     * Indexes {@code providers} by {@code id}, logging each one:
     * {@code loaded <kind> <id> (<module>)}.
     *
     * @throws IllegalStateException when two providers claim the same id
     */
    Plugins(String kind, Iterable<? extends P> providers, Function<P, String> id) {
        this.kind = kind;
        SortedMap<String, P> map = new TreeMap<>();
        for (P provider : providers) {
            String providerId = id.apply(provider);
            P previous = map.putIfAbsent(providerId, provider);
            if (previous != null) {
                throw new IllegalStateException("two " + kind + " plugins claim the id '" + providerId + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
            LOG.log(Level.INFO, "loaded {0} {1} ({2})", kind, providerId, origin(provider));
        }
        this.byId = Collections.unmodifiableSortedMap(map);
    }

    /**
     * The provider with {@code id}.
     *
     * @throws IllegalArgumentException when none has it; the message names the available ids
     */
    P get(String id) {
        P provider = byId.get(id);
        if (provider == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + id + "'; available: "
                    + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet())));
        }
        return provider;
    }

    /** The ids, sorted. */
    Set<String> ids() {
        return byId.keySet();
    }

    /** The provider's module name, or its package when it runs on the class path. */
    private static String origin(Object provider) {
        Module module = provider.getClass().getModule();
        return module.isNamed() ? module.getName() : provider.getClass().getPackageName();
    }
}
