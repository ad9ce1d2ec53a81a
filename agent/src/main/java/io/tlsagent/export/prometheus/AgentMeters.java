package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.tlsagent.export.meters.TlsMeters;
import java.util.function.ToDoubleFunction;

/**
 * The agent's own health ({@link TlsMeters#AGENT_INFO}, {@link TlsMeters#AGENT_ERRORS}, {@link TlsMeters#TRACKED},
 * {@link TlsMeters#LOG_DROPPED}, {@link TlsMeters#RECORDS_DROPPED}), read from the objects that keep them.
 *
 * <p>Micrometer keeps only a weak reference to a function meter's state object, so each state must be an object
 * the running agent holds anyway; a lambda made for the purpose would be collected at the first GC and the meter
 * would freeze.
 */
public final class AgentMeters {

    private AgentMeters() {}

    public static void info(PrometheusMeterRegistry registry, String version) {
        // Micrometer strips an "_info" suffix from gauges, so the info metric is registered with Prometheus directly.
        Info.builder()
                .name(TlsMeters.AGENT_INFO.prometheusName())
                .help(TlsMeters.AGENT_INFO.description())
                .labelNames("version", "java_version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(version, System.getProperty("java.version", "unknown"));
    }

    public static <T> void counter(PrometheusMeterRegistry registry, TlsMeters meter, T state,
            ToDoubleFunction<T> count) {
        FunctionCounter.builder(meter.meterName(), state, count)
                .description(meter.description())
                .register(registry);
    }

    public static <T> void gauge(PrometheusMeterRegistry registry, TlsMeters meter, T state,
            ToDoubleFunction<T> value) {
        Gauge.builder(meter.meterName(), state, value)
                .description(meter.description())
                .register(registry);
    }
}
