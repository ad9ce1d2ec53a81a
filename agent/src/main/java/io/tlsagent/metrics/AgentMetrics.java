package io.tlsagent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.hooks.HookDispatcher;
import io.tlsagent.log.JsonLog;
import io.tlsagent.util.AgentErrors;

/** The agent's own health: {@link TlsMeters#AGENT_INFO}, {@link TlsMeters#AGENT_ERRORS}, {@link TlsMeters#LOG_DROPPED}. */
public final class AgentMetrics {

    private AgentMetrics() {}

    /**
     * Micrometer keeps only a weak reference to a function counter's state object, so the states here are objects
     * the running agent holds anyway ({@code errors}, the log); a lambda made here would be collected at the first
     * GC and the counter would freeze.
     */
    public static void bind(PrometheusMeterRegistry registry, String version, AgentErrors errors, JsonLog log,
            HookDispatcher hooks) {
        Gauge.builder(TlsMeters.TRACKED.meterName(), hooks, HookDispatcher::tracked)
                .description(TlsMeters.TRACKED.description())
                .register(registry);
        // Micrometer strips an "_info" suffix from gauges, so the info metric is registered with Prometheus directly.
        Info.builder()
                .name(TlsMeters.AGENT_INFO.prometheusName())
                .help(TlsMeters.AGENT_INFO.description())
                .labelNames("version", "java_version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(version, System.getProperty("java.version", "unknown"));
        FunctionCounter.builder(TlsMeters.AGENT_ERRORS.meterName(), errors, e -> e.count() + TlsBridge.errors())
                .description(TlsMeters.AGENT_ERRORS.description())
                .register(registry);
        if (log != null) {
            FunctionCounter.builder(TlsMeters.LOG_DROPPED.meterName(), log, JsonLog::dropped)
                    .description(TlsMeters.LOG_DROPPED.description())
                    .register(registry);
        } else {
            FunctionCounter.builder(TlsMeters.LOG_DROPPED.meterName(), errors, e -> 0)
                    .description(TlsMeters.LOG_DROPPED.description())
                    .register(registry);
        }
    }
}
