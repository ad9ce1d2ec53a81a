package io.tlsagent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.util.function.LongSupplier;

/** The agent's own health: {@link TlsMeters#AGENT_INFO}, {@link TlsMeters#AGENT_ERRORS}, {@link TlsMeters#LOG_DROPPED}. */
public final class AgentMetrics {

    private AgentMetrics() {}

    public static void bind(PrometheusMeterRegistry registry, String version, LongSupplier errors,
            LongSupplier logDropped) {
        // Micrometer strips an "_info" suffix from gauges, so the info metric is registered with Prometheus directly.
        Info.builder()
                .name(TlsMeters.AGENT_INFO.prometheusName())
                .help(TlsMeters.AGENT_INFO.description())
                .labelNames("version", "java_version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(version, System.getProperty("java.version", "unknown"));
        FunctionCounter.builder(TlsMeters.AGENT_ERRORS.meterName(), errors, LongSupplier::getAsLong)
                .description(TlsMeters.AGENT_ERRORS.description())
                .register(registry);
        FunctionCounter.builder(TlsMeters.LOG_DROPPED.meterName(), logDropped, LongSupplier::getAsLong)
                .description(TlsMeters.LOG_DROPPED.description())
                .register(registry);
    }
}
