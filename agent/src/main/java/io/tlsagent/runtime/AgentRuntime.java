package io.tlsagent.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.capture.AnatomyAssembler;
import io.tlsagent.capture.Capture;
import io.tlsagent.capture.MicrometerCapture;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.ExportPipeline;
import io.tlsagent.export.ExportSources;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.LateExporter;
import io.tlsagent.export.appmetrics.AppMetrics;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.export.jfr.Jfr;
import io.tlsagent.export.log.JsonLog;
import io.tlsagent.export.log.LogSink;
import io.tlsagent.export.otel.OtlpPush;
import io.tlsagent.export.meters.FunctionMeter;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.OtlpCounts;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.export.prometheus.AgentMeters;
import io.tlsagent.export.prometheus.CertificateExpiry;
import io.tlsagent.export.prometheus.HandshakeMeters;
import io.tlsagent.export.prometheus.MetricsEndpoint;
import io.tlsagent.export.watch.WatchChannel;
import io.tlsagent.instrumentation.MicrometerHooks;
import io.tlsagent.instrumentation.ProviderClasses;
import io.tlsagent.instrumentation.TlsInstrumentation;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import io.tlsagent.util.HandshakeSpans;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
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
     * failure inside the agent is swallowed, counted, and leaves TLS and the other exporters untouched.
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
    private volatile String metricsUrl;
    private final ResettableClassFileTransformer transformer;
    private final WatchChannel watch;
    private final HandshakeSpans jfr;
    private final AppMetrics appMetrics; // null unless metrics=app|both
    private final boolean watchOnly;
    private final Thread shutdownHook;
    /** OpenTelemetry's exporter (OTLP push or the OpenTelemetry agent's extension), or null. */
    private LateExporter otel;

    private AgentRuntime(Instrumentation inst, ExportPipeline pipeline, Capture capture, JsonLog log,
            ResettableClassFileTransformer transformer, WatchChannel watch, HandshakeSpans jfr, AppMetrics appMetrics,
            boolean watchOnly) {
        this.inst = inst;
        this.pipeline = pipeline;
        this.capture = capture;
        this.log = log;
        this.transformer = transformer;
        this.watch = watch;
        this.jfr = jfr;
        this.appMetrics = appMetrics;
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
        return start(config, inst, version, watchOnly, onWatchClosed, hooksInstalled, null);
    }

    /**
     * {@code otel}: the exporter to OpenTelemetry that the OpenTelemetry agent's extension brings (null: the OTLP
     * push when {@code otlp_endpoint} is set, else none); started after the hooks, so that nothing of OpenTelemetry
     * loads on the start gate's path.
     */
    public static AgentRuntime start(AgentConfig config, Instrumentation inst, String version, boolean watchOnly,
            Runnable onWatchClosed, Runnable hooksInstalled, LateExporter.Factory otel) {
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
        if (config.metrics().agentEndpoint()) {
            exporters.add(handshakeMeters);
            exporters.add(new CertificateExpiry(registry, config.certificateSeries()));
        }
        AppMetrics appMetrics = config.metrics().app() ? new AppMetrics(counts, version,
                config.metrics().agentEndpoint(), config.certificateSeries(), errors) : null;
        if (appMetrics != null) {
            exporters.add(appMetrics);
        }
        LogSink sink = config.logTarget() != AgentConfig.LogTarget.OFF ? LogSink.of(config) : null;
        JsonLog log = sink != null ? new JsonLog(sink, config.serviceName(), errors) : null;
        if (log != null) {
            exporters.add(log);
        }
        WatchChannel watch = new WatchChannel(new EcsJson(config.serviceName(), ProcessHandle.current().pid()),
                errors, onWatchClosed);
        exporters.add(watch);
        LateExporter.Factory otelFactory = watchOnly ? null : otel != null ? otel
                : config.otlp() != null ? sources -> OtlpPush.start(config.otlp(), sources) : null;
        LateExporter lateOtel = otelFactory != null ? new LateExporter("the export to OpenTelemetry") : null;
        if (lateOtel != null) {
            exporters.add(lateOtel);
        }
        HandshakeSpans jfr = config.jfr() ? jfrEvents() : null;
        ExportPipeline pipeline = new ExportPipeline(counts, List.of(), exporters, errors);

        boolean sunJsseDeep = Capture.sunJsseUsable();
        ProviderClasses providers = new ProviderClasses(inst, sunJsseDeep, errors);
        AnatomyAssembler anatomy = new AnatomyAssembler(new AnatomyAssembler.Options(config.clientHello(),
                config.fingerprints(), config.expiringDays()));
        Capture capture = new Capture(pipeline, jfr != null ? jfr : HandshakeSpans.NONE, errors, anatomy,
                providers::created, sunJsseDeep);

        AgentMeters.info(registry, version);
        OtlpCounts otlpCounts = new OtlpCounts();
        List<FunctionMeter<?>> healthMeters = List.of(
                new FunctionMeter<>(TlsMeters.AGENT_ERRORS, errors, AgentErrors::count),
                new FunctionMeter<>(TlsMeters.TRACKED, capture, Capture::tracked),
                log != null ? new FunctionMeter<>(TlsMeters.LOG_DROPPED, log, JsonLog::dropped)
                        : new FunctionMeter<>(TlsMeters.LOG_DROPPED, errors, e -> 0),
                new FunctionMeter<>(TlsMeters.RECORDS_DROPPED, pipeline, ExportPipeline::dropped),
                new FunctionMeter<>(TlsMeters.OTLP_LOG_RECORDS_DROPPED, otlpCounts, OtlpCounts::logRecordsDropped),
                new FunctionMeter<>(TlsMeters.OTLP_METRIC_EXPORTS_FAILED, otlpCounts,
                        OtlpCounts::metricExportsFailed));
        for (FunctionMeter<?> m : healthMeters) {
            AgentMeters.register(registry, m);
        }

        capture.start();
        if (appMetrics != null) {
            appMetrics.health(healthMeters);
            new MicrometerCapture(appMetrics::micrometerFound).start();
        }
        ResettableClassFileTransformer transformer = TlsInstrumentation.install(inst, errors, providers,
                sunJsseDeep, appMetrics != null);
        if (appMetrics != null) {
            MicrometerHooks.alreadyInitialized(inst).forEach(appMetrics::micrometerFound);
        }
        AgentRuntime runtime = new AgentRuntime(inst, pipeline, capture, log, transformer, watch, jfr, appMetrics,
                watchOnly);
        runtime.otel = lateOtel;
        try {
            Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // A short-lived application ended while the agent started (see StartGate): no handshake yet, say nothing.
            return runtime;
        }
        // Before the endpoint: an HTTPS endpoint loads SSLContext, which the gate holds back until now.
        hooksInstalled.run();
        MetricsEndpoint endpoint = config.port() > 0 && config.metrics().agentEndpoint()
                ? metricsEndpoint(config, registry, errors) : null;
        runtime.endpoint = endpoint;
        runtime.metricsUrl = endpoint != null ? (config.tlsKeystore() != null ? "https" : "http") + "://"
                + config.host() + ":" + endpoint.port() + "/metrics" : null;
        LateExporter.Closing otelStarted = null;
        if (lateOtel != null) {
            Map<TlsMeters, DoubleSupplier> health = new EnumMap<>(TlsMeters.class);
            health.put(TlsMeters.AGENT_ERRORS, errors::count);
            health.put(TlsMeters.TRACKED, capture::tracked);
            health.put(TlsMeters.LOG_DROPPED, log != null ? log::dropped : () -> 0);
            health.put(TlsMeters.RECORDS_DROPPED, pipeline::dropped);
            health.put(TlsMeters.OTLP_LOG_RECORDS_DROPPED, otlpCounts::logRecordsDropped);
            health.put(TlsMeters.OTLP_METRIC_EXPORTS_FAILED, otlpCounts::metricExportsFailed);
            otelStarted = startOtel(otelFactory, new ExportSources(counts, health,
                    new EcsJson(config.serviceName(), ProcessHandle.current().pid()), version, otlpCounts), config);
            lateOtel.started(otelStarted);
        }
        AgentLog.info("tls-agent " + version + " started"
                + (endpoint != null ? "; metrics on " + runtime.metricsUrl
                        + (config.authUser() != null ? " (basic authentication)" : "") : "")
                + (appMetrics != null ? "; metrics in the application's Micrometer registries" : "")
                + "; JSON log: " + (sink != null ? sink : "off")
                + (jfr != null ? "; JFR event tlsagent.Handshake" : "")
                + (otelStarted == null ? "" : otel != null ? "; handshakes to the OpenTelemetry agent's exporters"
                        : "; OTLP to " + config.otlp().metrics().endpoint() + " and "
                                + config.otlp().logs().endpoint())
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

    /** OpenTelemetry's exporter, or null (said once) when it cannot start: the rest of the agent keeps working. */
    private static LateExporter.Closing startOtel(LateExporter.Factory factory, ExportSources sources,
            AgentConfig config) {
        if (config.otlp() != null) {
            config.otlp().notes().forEach(AgentLog::once);
        }
        try {
            return factory.start(sources);
        } catch (Throwable t) {
            AgentLog.info("cannot export to OpenTelemetry (" + t + "); the rest of the agent keeps working");
            return null;
        }
    }

    /** The JFR events, or null (said once) when this JVM has no Flight Recorder or it cannot be used. */
    private static HandshakeSpans jfrEvents() {
        try {
            HandshakeSpans jfr = Jfr.spans();
            if (jfr == null) {
                AgentLog.once("JFR is not available in this JVM (no jdk.jfr module); no tlsagent.Handshake events");
            }
            return jfr;
        } catch (Throwable t) {
            AgentLog.once("JFR is not available (" + t + "); no tlsagent.Handshake events");
            return null;
        }
    }

    /** Where {@code /metrics} is served; null without an endpoint. */
    public String metricsUrl() {
        return metricsUrl;
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
        if (otel != null) {
            otel.close(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** Detach: restores the JDK's original bytecode, then stops the endpoint and the agent's threads. */
    public void stop() {
        Capture.stop();
        MicrometerCapture.stop();
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
        if (appMetrics != null) {
            appMetrics.close();
        }
        AgentLog.info("tls-agent detached");
    }
}
