package io.tlsagent.util;

import java.util.concurrent.Callable;

/**
 * Something another agent may provide later (the OpenTelemetry agent's classes in the boot loader: it may start
 * after this one): looked up when first needed, and while absent, again at most every 10 s, so that asking costs
 * a volatile read.
 */
public final class LateLookup<T> {

    private static final long RETRY_NANOS = 10_000_000_000L;

    private final Callable<T> lookup;
    private volatile T found;
    private volatile long lookedFor = System.nanoTime() - RETRY_NANOS;

    /** {@code lookup} throws (or returns null) while the thing is absent. */
    public LateLookup(Callable<T> lookup) {
        this.lookup = lookup;
    }

    /** The thing, or null while it is absent. */
    public T get() {
        T t = found;
        long now = System.nanoTime();
        if (t == null && now - lookedFor >= RETRY_NANOS) {
            lookedFor = now;
            try {
                t = lookup.call();
                found = t;
            } catch (Exception | LinkageError absent) {
                // not there (yet)
            }
        }
        return t;
    }
}
