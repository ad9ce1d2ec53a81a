package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.tlsagent.export.meters.FunctionMeter;
import io.tlsagent.export.meters.TlsMeters;

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
        // A Prometheus info metric, registered with Prometheus directly. (A Micrometer gauge named tls.agent.info would
        // keep the name tls_agent_info as well, tested with Micrometer 1.9 to 1.17: that is how an application's
        // registry gets it, see export/appmetrics.)
        Info.builder()
                .name(TlsMeters.AGENT_INFO.prometheusName())
                .help(TlsMeters.AGENT_INFO.description())
                .labelNames("version", "java_version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(version, System.getProperty("java.version", "unknown"));
    }

    /** A counter or gauge read from an object the agent keeps. */
    public static <T> void register(PrometheusMeterRegistry registry, FunctionMeter<T> m) {
        if (m.isCounter()) {
            FunctionCounter.builder(m.meter().meterName(), m.state(), m.value())
                    .description(m.meter().description())
                    .register(registry);
        } else {
            Gauge.builder(m.meter().meterName(), m.state(), m.value())
                    .description(m.meter().description())
                    .register(registry);
        }
    }
}
