package io.tlsagent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.hooks.HookDispatcher;
import io.tlsagent.hooks.TlsInstrumentation;
import io.tlsagent.log.JsonLog;
import io.tlsagent.log.LogSink;
import io.tlsagent.metrics.AgentMetrics;
import io.tlsagent.metrics.CertificateExpiry;
import io.tlsagent.metrics.HandshakeMetrics;
import io.tlsagent.metrics.MetricsEndpoint;
import io.tlsagent.record.HandshakeListener;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/** The running agent: exporters, the tracker behind the bridge, the instrumentation; and how to undo them. */
final class AgentRuntime {

    /**
     * Test hook: {@code -Dio.tlsagent.test.inject=exporter} adds an exporter that always throws, to prove that a
     * failure inside the agent is swallowed, counted, and leaves TLS and the other exporters untouched.
     */
    static final String INJECT_FAILURE = "io.tlsagent.test.inject";

    private final Instrumentation inst;
    private final JsonLog log;
    private final MetricsEndpoint endpoint;
    private final ResettableClassFileTransformer transformer;
    private final Thread shutdownHook;

    private AgentRuntime(Instrumentation inst, JsonLog log, MetricsEndpoint endpoint,
            ResettableClassFileTransformer transformer) {
        this.inst = inst;
        this.log = log;
        this.endpoint = endpoint;
        this.transformer = transformer;
        this.shutdownHook = new Thread(this::flush, "tls-agent-shutdown");
    }

    static AgentRuntime start(AgentConfig config, Instrumentation inst, String version) {
        AgentErrors errors = new AgentErrors();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<HandshakeListener> exporters = new ArrayList<>();
        exporters.add(new HandshakeMetrics(registry));
        exporters.add(new CertificateExpiry(registry, config.certificateSeries()));
        if ("exporter".equals(System.getProperty(INJECT_FAILURE))) {
            exporters.add(0, record -> {
                throw new IllegalStateException("failure injected by " + INJECT_FAILURE);
            });
        }
        LogSink sink = config.logTarget() != AgentConfig.LogTarget.OFF ? LogSink.of(config) : null;
        JsonLog log = sink != null ? new JsonLog(sink, config.serviceName(), errors) : null;
        if (log != null) {
            exporters.add(log);
        }

        HookDispatcher hooks = HookDispatcher.create(exporters, errors, inst, config);
        AgentMetrics.bind(registry, version, errors, log, hooks);
        TlsBridge.install(hooks);
        ResettableClassFileTransformer transformer = TlsInstrumentation.install(inst, errors, hooks);
        MetricsEndpoint endpoint = config.port() > 0 ? MetricsEndpoint.start(config, registry, errors) : null;
        AgentRuntime runtime = new AgentRuntime(inst, log, endpoint, transformer);
        Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
        AgentLog.info("tls-agent " + version + " started"
                + (endpoint != null ? "; metrics on " + (config.tlsKeystore() != null ? "https" : "http") + "://"
                        + config.host() + ":" + endpoint.port() + "/metrics"
                        + (config.authUser() != null ? " (basic authentication)" : "") : "")
                + "; JSON log: " + (sink != null ? sink : "off"));
        return runtime;
    }

    /** JVM shutdown: write what is queued, within a bounded wait. */
    private void flush() {
        if (log != null) {
            log.close(2000);
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** Detach: restores the JDK's original bytecode, then stops the endpoint and the agent's threads. */
    void stop() {
        TlsBridge.uninstall();
        transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook runs anyway
        }
        flush();
        AgentLog.info("tls-agent detached");
    }
}
