package io.tlsagent.export.prometheus;

import java.util.Arrays;
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

    private final Map<Key, M> meters = new ConcurrentHashMap<>();
    private final Function<List<String>, M> register;

    MeterCache(Function<List<String>, M> register) {
        this.register = register;
    }

    M get(String... labelValues) {
        Key key = new Key(labelValues);
        M meter = meters.get(key);
        if (meter != null) {
            return meter;
        }
        List<String> values = List.of(labelValues);
        return meters.size() < MAX_ENTRIES ? meters.computeIfAbsent(key, k -> register.apply(values))
                : register.apply(values);
    }

    /** Label values as a map key: compared and hashed without an iterator (this runs once per record). */
    private static final class Key {
        private final String[] values;
        private final int hash;

        Key(String[] values) {
            this.values = values;
            this.hash = Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(((Key) o).values, values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
