package io.tlsagent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.bootstrap.TlsBridge;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.hooks.HookDispatcher;
import io.tlsagent.hooks.TlsInstrumentation;
import io.tlsagent.jfr.Jfr;
import io.tlsagent.log.EcsJson;
import io.tlsagent.log.JsonLog;
import io.tlsagent.log.LogSink;
import io.tlsagent.metrics.AgentMetrics;
import io.tlsagent.metrics.CertificateExpiry;
import io.tlsagent.metrics.HandshakeMetrics;
import io.tlsagent.metrics.MetricsEndpoint;
import io.tlsagent.record.HandshakeListener;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.watch.WatchChannel;
import java.io.IOException;
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
    /** Set once, right after the hooks (see {@link #start}); read by the shutdown hook. */
    private volatile MetricsEndpoint endpoint;
    private final ResettableClassFileTransformer transformer;
    private final WatchChannel watch;
    private final HandshakeListener jfr;
    private final boolean watchOnly;
    private final Thread shutdownHook;

    private AgentRuntime(Instrumentation inst, JsonLog log, ResettableClassFileTransformer transformer,
            WatchChannel watch, HandshakeListener jfr, boolean watchOnly) {
        this.inst = inst;
        this.log = log;
        this.transformer = transformer;
        this.watch = watch;
        this.jfr = jfr;
        this.watchOnly = watchOnly;
        this.shutdownHook = new Thread(this::flush, "tls-agent-shutdown");
    }

    /**
     * Starts the agent. {@code watchOnly}: started by {@code watch} for the watch channel alone (the caller's config
     * then has no endpoint, no log and no JFR); {@code onWatchClosed} runs when the channel closes by itself;
     * {@code hooksInstalled} as soon as TLS is observed (see {@link StartGate}).
     */
    static AgentRuntime start(AgentConfig config, Instrumentation inst, String version, boolean watchOnly,
            Runnable onWatchClosed, Runnable hooksInstalled) {
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
        HandshakeListener jfr = config.jfr() ? jfrExporter() : null;
        if (jfr != null) {
            exporters.add(jfr);
        }
        WatchChannel watch = new WatchChannel(new EcsJson(config.serviceName(), ProcessHandle.current().pid()),
                errors, onWatchClosed);
        exporters.add(watch);

        HookDispatcher hooks = HookDispatcher.create(exporters, errors, inst, config);
        AgentMetrics.bind(registry, version, errors, log, hooks);
        TlsBridge.install(hooks);
        ResettableClassFileTransformer transformer = TlsInstrumentation.install(inst, errors, hooks);
        AgentRuntime runtime = new AgentRuntime(inst, log, transformer, watch, jfr, watchOnly);
        try {
            Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // A short-lived application ended while the agent started (see StartGate): no handshake yet, say nothing.
            return runtime;
        }
        // Before the endpoint: an HTTPS endpoint loads SSLContext, which the gate holds back until now.
        hooksInstalled.run();
        MetricsEndpoint endpoint = config.port() > 0 ? metricsEndpoint(config, registry, errors) : null;
        runtime.endpoint = endpoint;
        AgentLog.info("tls-agent " + version + " started"
                + (endpoint != null ? "; metrics on " + (config.tlsKeystore() != null ? "https" : "http") + "://"
                        + config.host() + ":" + endpoint.port() + "/metrics"
                        + (config.authUser() != null ? " (basic authentication)" : "") : "")
                + "; JSON log: " + (sink != null ? sink : "off")
                + (jfr != null ? "; JFR event tlsagent.Handshake" : "")
                + (watchOnly ? " (watch only)" : ""));
        return runtime;
    }

    /** The endpoint, or null (said once) when it cannot start, also in a runtime without the jdk.httpserver module. */
    private static MetricsEndpoint metricsEndpoint(AgentConfig config, PrometheusMeterRegistry registry,
            AgentErrors errors) {
        try {
            return MetricsEndpoint.start(config, registry, errors);
        } catch (LinkageError noHttpServer) {
            AgentLog.info("cannot serve /metrics: this JVM has no HTTP server (no jdk.httpserver module: "
                    + noHttpServer + "); metrics endpoint off, the rest keeps working");
            return null;
        }
    }

    /** The JFR exporter, or null (said once) when this JVM has no Flight Recorder or it cannot be used. */
    private static HandshakeListener jfrExporter() {
        try {
            HandshakeListener jfr = Jfr.exporter();
            if (jfr == null) {
                AgentLog.once("JFR is not available in this JVM (no jdk.jfr module); no tlsagent.Handshake events");
            }
            return jfr;
        } catch (Throwable t) {
            AgentLog.once("JFR is not available (" + t + "); no tlsagent.Handshake events");
            return null;
        }
    }

    boolean watchOnly() {
        return watchOnly;
    }

    boolean watchOpen() {
        return watch.isOpen();
    }

    /** Opens the watch channel (if it is not open); false, said once, when it cannot. */
    boolean openWatch() {
        try {
            watch.open();
            return true;
        } catch (IOException | RuntimeException e) {
            AgentLog.info("cannot open the watch channel: " + e.getMessage());
            return false;
        }
    }

    /** JVM shutdown: write what is queued, within a bounded wait; close the watch channel (its file goes). */
    private void flush() {
        watch.close();
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
        watch.close();
        if (jfr instanceof AutoCloseable) {
            try {
                ((AutoCloseable) jfr).close();
            } catch (Exception e) {
                AgentLog.once("could not unregister the JFR event: " + e);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook runs anyway
        }
        flush();
        AgentLog.info("tls-agent detached");
    }
}
