package io.tlsagent.cli.report;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map that holds at most {@code cap} keys: keys come from the network (server names, fingerprints, addresses),
 * so a day of hostile traffic must not grow it without end. Beyond the cap, values go to one "(other)" entry, and
 * the distinct keys that did not fit are estimated by linear counting over a fixed bitmap (128 KiB; within a
 * few percent up to millions of keys).
 */
final class CappedMap<V> {

    static final String OTHER = "(other)";
    private static final int SKETCH_BITS = 1 << 20;

    private final int cap;
    private final Map<String, V> map = new HashMap<>();
    private java.util.BitSet overflowSketch; // created on the first overflow
    private long overflowedRecords;

    CappedMap(int cap) {
        this.cap = cap;
    }

    /** The value for {@code key}, created if there is room; else the "(other)" value. */
    V get(String key, Function<String, V> create) {
        V v = map.get(key);
        if (v != null) {
            return v;
        }
        if (map.size() < cap) {
            v = create.apply(key);
            map.put(key, v);
            return v;
        }
        overflowedRecords++;
        if (overflowSketch == null) {
            overflowSketch = new java.util.BitSet(SKETCH_BITS);
        }
        overflowSketch.set(mix(key.hashCode()) & (SKETCH_BITS - 1));
        return map.computeIfAbsent(OTHER, create); // the one entry over the cap
    }

    Collection<V> values() {
        return map.values();
    }

    Map<String, V> entries() {
        return map;
    }

    int cap() {
        return cap;
    }

    /** About how many distinct keys did not fit. */
    long overflowedKeys() {
        if (overflowSketch == null) {
            return 0;
        }
        int zeros = SKETCH_BITS - overflowSketch.cardinality();
        if (zeros == 0) {
            zeros = 1; // saturated: a lower bound
        }
        long estimate = Math.round(-SKETCH_BITS * Math.log((double) zeros / SKETCH_BITS));
        return Math.min(estimate, overflowedRecords); // never more keys than handshakes
    }

    /** Spreads String.hashCode's bits (murmur3's finaliser). */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    long overflowedRecords() {
        return overflowedRecords;
    }
}
