package io.tlsagent.util;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A concurrent map keyed by object identity that holds its keys weakly and never grows past a limit.
 * Used to follow JDK connection objects without keeping them alive: an engine the application drops
 * mid-handshake simply disappears from here. Values must not refer to their keys.
 */
public final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    private final int maxSize;

    public WeakIdentityMap(int maxSize) {
        this.maxSize = maxSize;
    }

    public V get(Object key) {
        return map.get(new LookupKey(key));
    }

    /** The value for {@code key}, created if absent; null when the map is full. */
    public V computeIfAbsent(Object key, Supplier<V> factory) {
        V value = get(key);
        if (value != null) {
            return value;
        }
        expunge();
        if (map.size() >= maxSize) {
            return null;
        }
        V created = factory.get();
        V previous = map.putIfAbsent(new WeakKey(key, cleared), created);
        return previous != null ? previous : created;
    }

    public V remove(Object key) {
        expunge();
        return map.remove(new LookupKey(key));
    }

    public int size() {
        expunge();
        return map.size();
    }

    private void expunge() {
        Object ref;
        while ((ref = cleared.poll()) != null) {
            map.remove(ref);
        }
    }

    /** Stored key: weak, equal to any key for the same referent. */
    private static final class WeakKey extends WeakReference<Object> {
        private final int hash;

        WeakKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object mine = get();
            if (mine == null) {
                return false;
            }
            if (other instanceof LookupKey) {
                return ((LookupKey) other).referent == mine;
            }
            return other instanceof WeakKey && ((WeakKey) other).get() == mine;
        }
    }

    /** Short-lived key for lookups: strong, so it never needs the queue. */
    private static final class LookupKey {
        private final Object referent;

        LookupKey(Object referent) {
            this.referent = referent;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(referent);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WeakKey && ((WeakKey) other).get() == referent;
        }
    }
}
