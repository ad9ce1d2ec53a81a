package io.tlsagent.export.meters;

import java.util.function.ToDoubleFunction;

/**
 * A counter or gauge ({@link TlsMeters#type()}) that any registry reads from an object the running agent keeps
 * (registries hold such objects weakly, so it must be one the agent holds anyway).
 */
public final class FunctionMeter<T> {

    private final TlsMeters meter;
    private final T state;
    private final ToDoubleFunction<T> value;

    public FunctionMeter(TlsMeters meter, T state, ToDoubleFunction<T> value) {
        this.meter = meter;
        this.state = state;
        this.value = value;
    }

    public TlsMeters meter() {
        return meter;
    }

    public T state() {
        return state;
    }

    public ToDoubleFunction<T> value() {
        return value;
    }

    public boolean isCounter() {
        return meter.type().equals("counter");
    }
}
