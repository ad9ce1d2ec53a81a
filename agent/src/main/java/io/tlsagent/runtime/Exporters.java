package io.tlsagent.runtime;

import io.tlsagent.capture.Capture;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.export.ExportPipeline;
import io.tlsagent.export.ExportSources;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.LateExporter;
import io.tlsagent.export.appmetrics.AppMetrics;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.export.log.JsonLog;
import io.tlsagent.export.log.LogSink;
import io.tlsagent.export.meters.FunctionMeter;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.export.meters.OtlpCounts;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.export.otel.OtlpPush;
import io.tlsagent.export.prometheus.MetricsEndpoint;
import io.tlsagent.export.watch.WatchChannel;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;

/**
 * The exporters, started after the first use of TLS was let through (off the application's path) and connected
 * to the pipeline, whose queue held the records made meanwhile. Only what is configured is made, so an exporter
 * that is off loads nothing: no {@code /metrics} port, no Micrometer ({@link PrometheusExport}); no log and nobody
 * watching, no JSON writer; no OTLP endpoint, nothing of OpenTelemetry; {@code jfr=false}, nothing of JFR.
 */
final class Exporters {

    private final MetricsEndpoint endpoint;
    private final LogSink sink;
    private final JsonLog log;
    private final WatchChannel watch;
    private final AppMetrics appMetrics;
    private final LateExporter otel;
    /** Held here: registries hold the state of a function meter weakly. */
    private final OtlpCounts otlpCounts;
    private volatile boolean otelStarted;
    private final String metricsUrl;

    private Exporters(AgentConfig config, MetricsEndpoint endpoint, LogSink sink, JsonLog log, WatchChannel watch,
            AppMetrics appMetrics, LateExporter otel, OtlpCounts otlpCounts) {
        this.endpoint = endpoint;
        this.metricsUrl = endpoint != null ? (config.tlsKeystore() != null ? "https" : "http") + "://"
                + config.host() + ":" + endpoint.port() + "/metrics" : null;
        this.sink = sink;
        this.log = log;
        this.watch = watch;
        this.appMetrics = appMetrics;
        this.otel = otel;
        this.otlpCounts = otlpCounts;
    }

    /** The OTLP push of {@code otlp_endpoint}. */
    static LateExporter.Factory otlpPush(AgentConfig config) {
        return sources -> OtlpPush.start(config.otlp(), sources);
    }

    /**
     * Starts them (the JFR event is the capture's: see AgentRuntime), and the pipeline's export thread: from here on, records are
     * exported. {@code appMetrics} (metrics=app|both) and {@code otel} may be null.
     */
    static Exporters start(AgentConfig config, String version, AgentErrors errors, HandshakeCounts counts,
            ExportPipeline pipeline, Capture capture, LocalCertificates localCertificates, AppMetrics appMetrics,
            LateExporter.Factory otel, Runnable onWatchClosed) {
        List<Exporter> exporters = new ArrayList<>();
        if ("exporter".equals(System.getProperty(AgentRuntime.INJECT_FAILURE))) {
            exporters.add(record -> {
                throw new IllegalStateException("failure injected by " + AgentRuntime.INJECT_FAILURE);
            });
        }
        if ("export-thread".equals(System.getProperty(AgentRuntime.INJECT_FAILURE))) {
            AtomicBoolean once = new AtomicBoolean();
            exporters.add(record -> {
                if (once.compareAndSet(false, true)) {
                    throw new InternalError("export thread failure injected by " + AgentRuntime.INJECT_FAILURE);
                }
            });
        }
        LogSink sink = config.logTarget() != AgentConfig.LogTarget.OFF ? LogSink.of(config) : null;
        JsonLog log = sink != null ? new JsonLog(sink, config.serviceName(), errors, config.logDetail(),
                config.logFullEveryMillis()) : null;
        OtlpCounts otlpCounts = new OtlpCounts();
        List<FunctionMeter<?>> health = List.of(
                new FunctionMeter<>(TlsMeters.AGENT_ERRORS, errors, AgentErrors::count),
                new FunctionMeter<>(TlsMeters.TRACKED, capture, Capture::tracked),
                new FunctionMeter<>(TlsMeters.WIRE_UNREAD, capture, Capture::wireUnread),
                log != null ? new FunctionMeter<>(TlsMeters.LOG_DROPPED, log, JsonLog::dropped)
                        : new FunctionMeter<>(TlsMeters.LOG_DROPPED, errors, e -> 0),
                new FunctionMeter<>(TlsMeters.RECORDS_DROPPED, pipeline, ExportPipeline::dropped),
                new FunctionMeter<>(TlsMeters.OTLP_LOG_RECORDS_DROPPED, otlpCounts, OtlpCounts::logRecordsDropped),
                new FunctionMeter<>(TlsMeters.OTLP_METRIC_EXPORTS_FAILED, otlpCounts,
                        OtlpCounts::metricExportsFailed));
        // The metrics first: /metrics should answer as soon as possible after launch.
        MetricsEndpoint endpoint = config.port() > 0 && config.metrics().agentEndpoint()
                ? PrometheusExport.start(config, version, errors, counts, health, localCertificates,
                        exporters) : null;
        if (appMetrics != null) {
            appMetrics.health(health);
            exporters.add(appMetrics);
        }
        if (log != null) {
            exporters.add(log);
        }
        long pid = ProcessHandle.current().pid();
        WatchChannel watch = new WatchChannel(() -> new EcsJson(config.serviceName(), pid), errors, onWatchClosed);
        exporters.add(watch);
        LateExporter lateOtel = otel != null ? new LateExporter("the export to OpenTelemetry") : null;
        if (lateOtel != null) {
            exporters.add(lateOtel);
        }
        pipeline.start(exporters);
        Exporters started = new Exporters(config, endpoint, sink, log, watch, appMetrics, lateOtel,
                otlpCounts);
        if (lateOtel != null) {
            // Its SDK loads here, after the export thread is up: that thread waits for it (LateExporter).
            Map<TlsMeters, DoubleSupplier> healthNow = new EnumMap<>(TlsMeters.class);
            for (FunctionMeter<?> m : health) {
                healthNow.put(m.meter(), valueOf(m));
            }
            LateExporter.Closing exporter = startOtel(otel, new ExportSources(counts, healthNow,
                    new EcsJson(config.serviceName(), pid), version, otlpCounts), config);
            lateOtel.started(exporter);
            started.otelStarted = exporter != null;
        }
        return started;
    }

    private static <T> DoubleSupplier valueOf(FunctionMeter<T> m) {
        return () -> m.value().applyAsDouble(m.state());
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

    /** Where {@code /metrics} is served; null without an endpoint. */
    String metricsUrl() {
        return metricsUrl;
    }

    /** What the start line says after "started"; {@code otelAgent}: OpenTelemetry's is the OpenTelemetry agent's. */
    String describe(AgentConfig config, boolean otelAgent, boolean jfr) {
        return (endpoint != null ? "; metrics on " + metricsUrl
                + (config.authUser() != null ? " (basic authentication)" : "") : "")
                + (appMetrics != null ? "; metrics in the application's Micrometer registries" : "")
                + "; JSON log: " + (sink != null ? sink : "off")
                + (jfr ? "; JFR event tlsagent.Handshake" : "")
                + (!otelStarted ? "" : otelAgent ? "; handshakes to the OpenTelemetry agent's exporters"
                        : "; OTLP to " + config.otlp().metrics().endpoint() + " and "
                                + config.otlp().logs().endpoint());
    }

    WatchChannel watch() {
        return watch;
    }

    /** Writes what the log and the OpenTelemetry export hold, within {@code millis}; stops the endpoint. */
    void flush(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
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
}
