package io.tlsagent.export.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.tlsagent.config.OtlpConfig;
import io.tlsagent.export.ExportSources;
import io.tlsagent.export.LateExporter;
import io.tlsagent.export.meters.OtlpCounts;
import io.tlsagent.record.HandshakeRecord;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The agent's own OTLP push, with the OpenTelemetry SDK it bundles (relocated): metrics every
 * {@code otlp_interval} (cumulative: a push that fails is made good by the next), one log record per handshake
 * through a bounded queue ({@link OtlpLogQueue}), both over OTLP/HTTP (protobuf) with the JDK's HTTP client.
 * Every thread it starts is named {@code tls-agent-otlp-*}; the HTTP client's connections are marked as the
 * agent's own ({@link OwnSslContext}). Loaded only when {@code otlp_endpoint} is set.
 */
public final class OtlpPush implements LateExporter.Closing {

    /** How long past the SDK's own timeout a push is waited for: its retries end by it, on a loaded machine later. */
    static final long SENDER_WAIT_MARGIN_MILLIS = 5000;
    private static final int SENDER_QUEUE = 4;

    private final SdkMeterProvider meters;
    private final SdkLoggerProvider logs;
    private final OtelHandshakes handshakes;

    private OtlpPush(SdkMeterProvider meters, SdkLoggerProvider logs, OtelHandshakes handshakes) {
        this.meters = meters;
        this.logs = logs;
        this.handshakes = handshakes;
    }

    public static OtlpPush start(OtlpConfig config, ExportSources sources) throws Exception {
        OtlpSdkLogging.quiet();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemons("tls-agent-otlp-metrics"));
        AttributesBuilder resource = Attributes.builder();
        config.resource().forEach(resource::put);
        resource.put("process.pid", ProcessHandle.current().pid());
        Resource res = Resource.getDefault().merge(Resource.create(resource.build()));

        OtlpConfig.Signal m = config.metrics();
        OtlpHttpMetricExporterBuilder metricExporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(m.endpoint())
                .setHeaders(m::headers)
                .setTimeout(Duration.ofMillis(m.timeoutMillis()))
                .setCompression(m.gzip() ? "gzip" : "none")
                .setRetryPolicy(RetryPolicy.getDefault())
                .setExecutorService(sender("tls-agent-otlp-send-metrics"))
                .setMeterProvider(MeterProvider::noop);
        X509TrustManager[] trust = new X509TrustManager[1];
        metricExporter.setSslContext(sslContext(m, trust), trust[0]);
        MetricExporter reported = new Reported(metricExporter.build(), sources.otlp(), "metrics to " + m.endpoint(),
                m.timeoutMillis() + SENDER_WAIT_MARGIN_MILLIS);
        SdkMeterProvider meters = SdkMeterProvider.builder()
                .setResource(res)
                .registerMetricReader(PeriodicMetricReader.builder(reported)
                        .setInterval(Duration.ofMillis(config.intervalMillis()))
                        // wait for the push, retries included (the default waits one interval, then pushes again)
                        .setExporterTimeout(Duration.ofMillis(2 * (m.timeoutMillis() + SENDER_WAIT_MARGIN_MILLIS)))
                        .setExecutor(scheduler)
                        .setInternalTelemetryVersion(InternalTelemetryVersion.LEGACY)
                        .build())
                .build();

        OtlpConfig.Signal l = config.logs();
        OtlpHttpLogRecordExporterBuilder logExporter = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(l.endpoint())
                .setHeaders(l::headers)
                .setTimeout(Duration.ofMillis(l.timeoutMillis()))
                .setCompression(l.gzip() ? "gzip" : "none")
                .setRetryPolicy(RetryPolicy.getDefault())
                .setExecutorService(sender("tls-agent-otlp-send-logs"))
                .setMeterProvider(MeterProvider::noop);
        logExporter.setSslContext(sslContext(l, trust), trust[0]);
        SdkLoggerProvider logs = SdkLoggerProvider.builder()
                .setResource(res)
                .setLogLimits(() -> LogLimits.builder().setMaxNumberOfAttributes(512).build())
                .setMeterProvider(MeterProvider::noop)
                .addLogRecordProcessor(new OtlpLogQueue(logExporter.build(), sources.otlp(), l.endpoint(),
                        Math.min(config.intervalMillis(), 1000), l.timeoutMillis()))
                .build();

        OtelHandshakes handshakes = new OtelHandshakes(
                meters.meterBuilder(OtelHandshakes.SCOPE).setInstrumentationVersion(sources.version()).build(),
                logs.loggerBuilder(OtelHandshakes.SCOPE).setInstrumentationVersion(sources.version()).build(),
                sources);
        return new OtlpPush(meters, logs, handshakes);
    }

    @Override
    public void export(HandshakeRecord record) {
        handshakes.export(record);
    }

    /**
     * Pushes the last metrics and the queued log records, waiting at most {@code timeoutMillis}: a Collector that is
     * down or slow never holds the JVM's exit longer (the agent's threads are daemons).
     */
    @Override
    public void close(long timeoutMillis) {
        Thread closer = new Thread(() -> {
            CompletableResultCode m = meters.shutdown();
            CompletableResultCode l = logs.shutdown();
            CompletableResultCode.ofAll(java.util.List.of(m, l)).join(timeoutMillis, TimeUnit.MILLISECONDS);
        }, "tls-agent-otlp-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(Math.max(1, timeoutMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handshakes.close(0);
    }

    /** The JVM's default trust, or the certificates of the signal's PEM file; its engines marked as the agent's. */
    private static SSLContext sslContext(OtlpConfig.Signal signal, X509TrustManager[] trust) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (signal.certificatePath() != null) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(Paths.get(signal.certificatePath()))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
            }
            tmf.init(store);
        } else {
            tmf.init((KeyStore) null);
        }
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                trust[0] = (X509TrustManager) tm;
            }
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return new OwnSslContext(context);
    }

    /**
     * One thread per signal, so that log records never wait behind metric pushes, and a short queue: a push
     * refused here fails (counted) instead of piling up while the Collector is slow.
     */
    private static ExecutorService sender(String name) {
        return new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(SENDER_QUEUE),
                daemons(name));
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The metric exporter, counting and saying (once per kind) what fails, with the OpenTelemetry agent quiet. */
    private static final class Reported implements MetricExporter {
        private final MetricExporter delegate;
        private final OtlpCounts counts;
        private final String what;
        private final long waitMillis;
        private volatile CompletableResultCode last = CompletableResultCode.ofSuccess();

        Reported(MetricExporter delegate, OtlpCounts counts, String what, long waitMillis) {
            this.delegate = delegate;
            this.counts = counts;
            this.what = what;
            this.waitMillis = waitMillis;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            last.join(waitMillis, TimeUnit.MILLISECONDS); // one push at a time, also if the reader stopped waiting
            CompletableResultCode result;
            try {
                result = OtelAgentSuppression.call(() -> delegate.export(metrics));
            } catch (RuntimeException e) {
                result = CompletableResultCode.ofExceptionalFailure(e);
            }
            CompletableResultCode done = result;
            last = done;
            done.whenComplete(() -> {
                if (!done.isSuccess()) {
                    counts.metricExportFailed();
                    OtlpOutcomes.failed(what, done, "counted in tls_agent_otlp_metric_exports_failed_total; the"
                            + " next push that succeeds carries the cumulative values");
                }
            });
            return done;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return delegate.getAggregationTemporality(type);
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType type) {
            return delegate.getDefaultAggregation(type);
        }

        @Override
        public MemoryMode getMemoryMode() {
            return delegate.getMemoryMode();
        }
    }
}
