package io.tlsagent.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.meters.FunctionMeter;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.prometheus.AgentMeters;
import io.tlsagent.export.prometheus.CertificateExpiry;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.export.prometheus.HandshakeMeters;
import io.tlsagent.export.prometheus.LocalCertificateMeters;
import io.tlsagent.export.prometheus.MetricsEndpoint;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.util.List;

/**
 * The agent's Prometheus registry, its meters and the {@code /metrics} endpoint: made only when the endpoint is on
 * (a class of its own, so that an agent without it loads nothing of Micrometer).
 */
final class PrometheusExport {

    private PrometheusExport() {}

    /**
     * Registers the meters ({@code health}: the agent's own; {@code localCertificates}: this JVM's own key material), adds the exporters that feed the registry to
     * {@code exporters}, and starts the endpoint; returns it, or null (said once) when it cannot start.
     */
    static MetricsEndpoint start(AgentConfig config, String version, AgentErrors errors, HandshakeCounts counts,
            List<FunctionMeter<?>> health, LocalCertificates localCertificates, List<Exporter> exporters) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HandshakeMeters handshakeMeters = new HandshakeMeters(counts);
        handshakeMeters.bindTo(registry);
        exporters.add(handshakeMeters);
        exporters.add(new CertificateExpiry(registry, config.certificateSeries()));
        LocalCertificateMeters local = LocalCertificateMeters.micrometer(registry, localCertificates);
        local.sync();
        AgentMeters.info(registry, version);
        for (FunctionMeter<?> m : health) {
            AgentMeters.register(registry, m);
        }
        try {
            return MetricsEndpoint.start(config, registry, errors, local::sync);
        } catch (LinkageError noHttpServer) {
            AgentLog.info("cannot serve /metrics: this JVM has no HTTP server (no jdk.httpserver module: "
                    + noHttpServer + "); metrics endpoint off, the rest keeps working");
            return null;
        }
    }
}
