package io.tlsagent.bootstrap;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The application's Micrometer: the advice on the type initializer of {@code io.micrometer.core.instrument.Metrics}
 * (whichever class loader defines it) reports the class here, and the agent later binds its meters to that copy's
 * registries through an {@link Adapter}. Defined in the bootstrap class loader like {@link SunJsseEvents}, so that
 * both the advice and the adapter (defined in a child of the application's class loader) can see it.
 */
public abstract class MicrometerEvents {

    /** The running agent's implementation, or null. */
    public static volatile MicrometerEvents current;

    protected MicrometerEvents() {}

    /** {@code io.micrometer.core.instrument.Metrics} finished its static initialisation in some class loader. */
    public abstract void metricsInitialized(Class<?> metrics);

    /**
     * What the agent asks of one copy of the application's Micrometer. The implementation is compiled against
     * Micrometer's stable API and defined in a class loader whose parent is that copy's, so it links against the
     * application's version; this interface has JDK types only. Calls come from one agent thread at a time.
     * Meter names are Micrometer's ({@code tls.handshakes}); {@code tags} are key, value, key, value, ...
     */
    public interface Adapter {

        /**
         * Looks at the application's global registry again: a registry added since gets every function meter and
         * gauge registered so far, a closed or removed one is dropped. Returns the lines to say (once) since the
         * last call: denied meters, skipped registries.
         */
        List<String> refresh();

        /** The registries that take the meters now. */
        int registries();

        /** A counter read from {@code state} at each scrape, in every registry (now and later). */
        <T> void functionCounter(String name, String description, String[] tags, T state, ToDoubleFunction<T> value);

        /** A gauge read from {@code state} at each scrape, in every registry (now and later). */
        <T> void gauge(String name, String description, String baseUnit, String[] tags, T state,
                ToDoubleFunction<T> value);

        /** Removes a gauge or function counter from every registry. */
        void remove(String name, String[] tags);

        /** Records a duration into the timer of this name and tags (with the agent's buckets) in every registry. */
        void record(String name, String description, String[] tags, long nanos);

        /** Increments the counter of this name and tags in every registry. */
        void increment(String name, String description, String[] tags);

        /** Removes every meter it registered (the agent detaches). */
        void close();
    }
}
