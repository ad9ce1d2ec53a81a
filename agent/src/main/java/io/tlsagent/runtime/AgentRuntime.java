package io.tlsagent.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.capture.Capture;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.ExportPipeline;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.export.jfr.Jfr;
import io.tlsagent.export.log.JsonLog;
import io.tlsagent.export.log.LogSink;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.export.prometheus.AgentMeters;
import io.tlsagent.export.prometheus.CertificateExpiry;
import io.tlsagent.export.prometheus.HandshakeMeters;
import io.tlsagent.export.prometheus.MetricsEndpoint;
import io.tlsagent.export.watch.WatchChannel;
import io.tlsagent.instrumentation.ProviderClasses;
import io.tlsagent.instrumentation.TlsInstrumentation;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * The running agent, wired: the hooks ({@code instrumentation}) report through the bridge ({@code bootstrap}) to
 * the captures ({@code capture}), which hands each handshake's record to the export pipeline ({@code export}); and how to undo it
 * all.
 */
public final class AgentRuntime {

    /**
     * Test hook: {@code -Dio.tlsagent.test.inject=exporter} adds an exporter that always throws, to prove that a
     * failure inside the agent is swallowed, counted, and leaves TLS and the other exporters untouched;
     * {@code =export-thread}, one whose first call ends the export thread (a VirtualMachineError), to prove that it
     * is restarted and loses nothing.
     */
    static final String INJECT_FAILURE = "io.tlsagent.test.inject";
    /** How long JVM shutdown and detach wait for queued records to be exported and written. */
    private static final long FLUSH_MILLIS = 2000;

    private final Instrumentation inst;
    private final ExportPipeline pipeline;
    private final Capture capture;
    private final JsonLog log;
    /** Set once, right after the hooks (see {@link #start}); read by the shutdown hook. */
    private volatile MetricsEndpoint endpoint;
    private final ResettableClassFileTransformer transformer;
    private final WatchChannel watch;
    private final Exporter jfr;
    private final boolean watchOnly;
    private final Thread shutdownHook;

    private AgentRuntime(Instrumentation inst, ExportPipeline pipeline, Capture capture, JsonLog log,
            ResettableClassFileTransformer transformer, WatchChannel watch, Exporter jfr, boolean watchOnly) {
        this.inst = inst;
        this.pipeline = pipeline;
        this.capture = capture;
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
    public static AgentRuntime start(AgentConfig config, Instrumentation inst, String version, boolean watchOnly,
            Runnable onWatchClosed, Runnable hooksInstalled) {
        AgentErrors errors = new AgentErrors();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HandshakeCounts counts = new HandshakeCounts();
        HandshakeMeters handshakeMeters = new HandshakeMeters(counts);
        handshakeMeters.bindTo(registry);
        List<Exporter> exporters = new ArrayList<>();
        if ("exporter".equals(System.getProperty(INJECT_FAILURE))) {
            exporters.add(record -> {
                throw new IllegalStateException("failure injected by " + INJECT_FAILURE);
            });
        }
        if ("export-thread".equals(System.getProperty(INJECT_FAILURE))) {
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            exporters.add(record -> {
                if (once.compareAndSet(false, true)) {
                    throw new InternalError("export thread failure injected by " + INJECT_FAILURE);
                }
            });
        }
        exporters.add(handshakeMeters);
        exporters.add(new CertificateExpiry(registry, config.certificateSeries()));
        LogSink sink = config.logTarget() != AgentConfig.LogTarget.OFF ? LogSink.of(config) : null;
        JsonLog log = sink != null ? new JsonLog(sink, config.serviceName(), errors, config.logDetail(),
                config.logFullEveryMillis()) : null;
        if (log != null) {
            exporters.add(log);
        }
        WatchChannel watch = new WatchChannel(new EcsJson(config.serviceName(), ProcessHandle.current().pid()),
                errors, onWatchClosed);
        exporters.add(watch);
        AnatomyAssembler anatomy = new AnatomyAssembler(new AnatomyAssembler.Options(config.clientHello(),
                config.fingerprints(), config.expiringDays()));
        Exporter jfr = config.jfr() ? jfrExporter(anatomy) : null;
        ExportPipeline pipeline = new ExportPipeline(counts, anatomy::complete, jfr != null ? List.of(jfr)
                : List.of(), exporters, errors);

        boolean sunJsseDeep = Capture.sunJsseUsable();
        ProviderClasses providers = new ProviderClasses(inst, sunJsseDeep, errors);
        Capture capture = new Capture(pipeline, errors, providers::created, sunJsseDeep);

        AgentMeters.info(registry, version);
        AgentMeters.counter(registry, TlsMeters.AGENT_ERRORS, errors, AgentErrors::count);
        AgentMeters.gauge(registry, TlsMeters.TRACKED, capture, Capture::tracked);
        if (log != null) {
            AgentMeters.counter(registry, TlsMeters.LOG_DROPPED, log, JsonLog::dropped);
        } else {
            AgentMeters.counter(registry, TlsMeters.LOG_DROPPED, errors, e -> 0);
        }
        AgentMeters.counter(registry, TlsMeters.RECORDS_DROPPED, pipeline, ExportPipeline::dropped);

        capture.start();
        ResettableClassFileTransformer transformer = TlsInstrumentation.install(inst, errors, providers,
                sunJsseDeep);
        AgentRuntime runtime = new AgentRuntime(inst, pipeline, capture, log, transformer, watch, jfr, watchOnly);
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
    private static Exporter jfrExporter(AnatomyAssembler anatomy) {
        try {
            Exporter jfr = Jfr.exporter(anatomy::clientOffer);
            if (jfr == null) {
                AgentLog.once("JFR is not available in this JVM (no jdk.jfr module); no tlsagent.Handshake events");
            }
            return jfr;
        } catch (Throwable t) {
            AgentLog.once("JFR is not available (" + t + "); no tlsagent.Handshake events");
            return null;
        }
    }

    public boolean watchOnly() {
        return watchOnly;
    }

    public boolean watchOpen() {
        return watch.isOpen();
    }

    /** Opens the watch channel (if it is not open); false, said once, when it cannot. */
    public boolean openWatch() {
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
        long deadline = System.nanoTime() + FLUSH_MILLIS * 1_000_000;
        pipeline.close(FLUSH_MILLIS);
        if (log != null) {
            log.close(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** Detach: restores the JDK's original bytecode, then stops the endpoint and the agent's threads. */
    public void stop() {
        Capture.stop();
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
