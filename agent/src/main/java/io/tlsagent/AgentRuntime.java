package io.tlsagent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.hooks.HandshakeTracker;
import io.tlsagent.hooks.SunJsseInstrumentation;
import io.tlsagent.log.JsonLog;
import io.tlsagent.log.LogSink;
import io.tlsagent.metrics.AgentMetrics;
import io.tlsagent.metrics.HandshakeMetrics;
import io.tlsagent.metrics.MetricsEndpoint;
import io.tlsagent.record.HandshakeListener;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Wires the running agent: exporters, the tracker behind the bridge, the instrumentation, shutdown. */
final class AgentRuntime {

    private AgentRuntime() {}

    static void start(AgentConfig config, Instrumentation inst, String version) {
        AgentErrors errors = new AgentErrors();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<HandshakeListener> exporters = new ArrayList<>();
        exporters.add(new HandshakeMetrics(registry));
        JsonLog log = null;
        LogSink sink = config.logTarget() != AgentConfig.LogTarget.OFF ? LogSink.of(config) : null;
        if (sink != null) {
            log = new JsonLog(sink, config.serviceName(), errors);
            exporters.add(log);
        }
        JsonLog logForMetrics = log;
        AgentMetrics.bind(registry, version, () -> errors.count() + TlsBridge.errors(),
                () -> logForMetrics == null ? 0 : logForMetrics.dropped());

        HandshakeTracker tracker = HandshakeTracker.forSunJsse(exporters, errors);
        if (tracker != null) {
            TlsBridge.install(tracker);
            SunJsseInstrumentation.install(inst, errors);
        }

        MetricsEndpoint endpoint = config.port() > 0 ? MetricsEndpoint.start(config.host(), config.port(), registry)
                : null;
        Thread shutdown = new Thread(() -> {
            if (logForMetrics != null) {
                logForMetrics.close(2000);
            }
            if (endpoint != null) {
                endpoint.close();
            }
        }, "tls-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        AgentLog.info("tls-agent " + version + " started"
                + (endpoint != null ? "; metrics on http://" + config.host() + ":" + endpoint.port() + "/metrics" : "")
                + "; JSON log: " + (sink != null ? sink : "off"));
    }
}
