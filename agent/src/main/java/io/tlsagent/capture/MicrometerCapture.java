package io.tlsagent.capture;

import io.tlsagent.bootstrap.MicrometerEvents;
import java.util.function.Consumer;

/**
 * Hands each copy of the application's Micrometer the hook finds (its {@code Metrics} class, on the thread that
 * initialised it) to the sink, which must only note it: the binding happens later, on the agent's thread.
 */
public final class MicrometerCapture extends MicrometerEvents {

    private final Consumer<Class<?>> sink;

    public MicrometerCapture(Consumer<Class<?>> sink) {
        this.sink = sink;
    }

    @Override
    public void metricsInitialized(Class<?> metrics) {
        sink.accept(metrics);
    }

    /** From now on the hook reports here. */
    public void start() {
        MicrometerEvents.current = this;
    }

    public static void stop() {
        MicrometerEvents.current = null;
    }
}
