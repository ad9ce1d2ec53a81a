package io.tlsagent.capture;

import io.tlsagent.util.WeakIdentityMap;
import java.lang.ref.WeakReference;
import java.util.function.Function;

/**
 * Which connection each engine runs over, as the libraries paired them ({@link ConnectionCapture}), until the
 * engine's handshake is recorded: the captures take an engine's binding when they build its record. Weakly keyed
 * by the engine and bounded, so an engine that never handshakes leaves nothing behind; when full, new connections
 * are simply not bound (their records fall back to what the engine knows).
 */
final class ConnectionBindings {

    static final int MAX_BOUND = 100_000;

    private final WeakIdentityMap<Binding> bindings = new WeakIdentityMap<>(MAX_BOUND);

    /** One engine's connection: its ends once known, or the channel to ask later (a client not yet connected). */
    private static final class Binding {
        volatile ConnectionEnds ends;
        final WeakReference<Object> channel;
        final Function<Object, ConnectionEnds> reader;

        Binding(ConnectionEnds ends, Object channel, Function<Object, ConnectionEnds> reader) {
            this.ends = ends;
            this.channel = channel != null ? new WeakReference<>(channel) : null;
            this.reader = reader;
        }
    }

    /** The engine's connection has these ends; a binding already complete is kept (a library may say it twice). */
    void bind(Object engine, ConnectionEnds ends) {
        Binding b = bindings.computeIfAbsent(engine, () -> new Binding(ends, null, null));
        if (b != null && b.ends == null) {
            b.ends = ends;
        }
    }

    /** Whether the engine's connection ends are known already: a library that reports twice need not read again. */
    boolean isBound(Object engine) {
        Binding b = bindings.get(engine);
        return b != null && b.ends != null;
    }

    /**
     * The engine runs over {@code channel}, which is not connected yet: its ends are read from it when the record
     * is built, unless {@link #bind} comes first.
     */
    void bindLater(Object engine, Object channel, Function<Object, ConnectionEnds> reader) {
        bindings.computeIfAbsent(engine, () -> new Binding(null, channel, reader));
    }

    /**
     * The engine's connection ends, removing the binding; null when no library paired it, or its channel could not
     * tell any more (then the record falls back to what the engine knows).
     */
    ConnectionEnds take(Object engine) {
        Binding b = bindings.remove(engine);
        if (b == null) {
            return null;
        }
        ConnectionEnds ends = b.ends;
        if (ends == null && b.channel != null) {
            Object channel = b.channel.get();
            ends = channel != null ? b.reader.apply(channel) : null;
        }
        return ends;
    }

    int size() {
        return bindings.size();
    }
}
