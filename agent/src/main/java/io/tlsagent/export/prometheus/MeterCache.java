package io.tlsagent.export.prometheus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one name, by label values: a handshake finds its counter or timer with one map lookup instead of
 * Micrometer's builder, tag sorting and registry lookup. Label values come from bounded sets; the cap is a second
 * guard, beyond which meters are looked up in the registry as before (Micrometer returns the same meter).
 */
final class MeterCache<M> {

    static final int MAX_ENTRIES = 4096;

    private final Map<List<String>, M> meters = new ConcurrentHashMap<>();
    private final Function<List<String>, M> register;

    MeterCache(Function<List<String>, M> register) {
        this.register = register;
    }

    M get(String... labelValues) {
        List<String> key = List.of(labelValues);
        M meter = meters.get(key);
        if (meter != null) {
            return meter;
        }
        return meters.size() < MAX_ENTRIES ? meters.computeIfAbsent(key, register) : register.apply(key);
    }
}
