package io.tlsagent.export.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.tlsagent.export.ExportSources;
import io.tlsagent.export.LateExporter;
import io.tlsagent.export.meters.LabelValues;
import io.tlsagent.export.meters.OtelNames;
import io.tlsagent.export.meters.RecordedMeters;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.TraceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;

/**
 * The handshakes in OpenTelemetry, through its API only, so that the same code serves the agent's own SDK (OTLP
 * push) and the OpenTelemetry Java agent's (extension): {@link TlsMeters#HANDSHAKES} as an asynchronous counter
 * over the exact counts, the histograms and anatomy counters recorded here on the export thread, the agent's
 * health read through callbacks, and one log record per handshake, linked to the span that was current where a
 * client handshake started. Names: {@link OtelNames} and {@link LogAttributes}.
 */
public final class OtelHandshakes implements LateExporter.Closing {

    /** The instrumentation scope of everything the agent records. */
    public static final String SCOPE = "io.tlsagent";
    /** The same buckets as the agent's Prometheus histograms, in seconds. */
    static final List<Double> BUCKETS = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    private final ExportSources sources;
    private final Logger logger;
    private final LogAttributes logAttributes;
    private final LabelValues labels = new LabelValues();
    private final List<AutoCloseable> callbacks = new ArrayList<>();
    private final BiConsumer<List<String>, LongAdder> onSeries;
    private final DoubleHistogram durations;
    private final DoubleHistogram trustChecks;
    private final Map<TlsMeters, LongCounter> counters = new EnumMap<>(TlsMeters.class);
    private final Map<List<String>, Attributes> attributes = new ConcurrentHashMap<>();

    /** One label set of {@link TlsMeters#HANDSHAKES} and its exact count. */
    private static final class Series {
        final Attributes attributes;
        final LongAdder count;

        Series(Attributes attributes, LongAdder count) {
            this.attributes = attributes;
            this.count = count;
        }
    }

    public OtelHandshakes(Meter meter, Logger logger, ExportSources sources) {
        this.sources = sources;
        this.logger = logger;
        this.logAttributes = new LogAttributes(sources.ecs());
        List<Series> series = new CopyOnWriteArrayList<>();
        onSeries = (values, count) -> series.add(new Series(attributes(TlsMeters.HANDSHAKES, values), count));
        sources.counts().bind(onSeries);
        callbacks.add(meter.counterBuilder(TlsMeters.HANDSHAKES.meterName())
                .setUnit(TlsMeters.HANDSHAKES.unit())
                .setDescription(TlsMeters.HANDSHAKES.description())
                .buildWithCallback(m -> {
                    for (Series s : series) {
                        m.record(s.count.sum(), s.attributes);
                    }
                }));
        durations = histogram(meter, TlsMeters.HANDSHAKE_DURATION);
        trustChecks = histogram(meter, TlsMeters.TRUST_CHECK_DURATION);
        for (TlsMeters m : List.of(TlsMeters.HANDSHAKE_FINDINGS, TlsMeters.CLIENT_HELLOS,
                TlsMeters.KEY_EXCHANGE_GROUPS)) {
            counters.put(m, counter(meter, m));
        }
        for (Map.Entry<TlsMeters, DoubleSupplier> e : sources.health().entrySet()) {
            callbacks.add(health(meter, e.getKey(), e.getValue()));
        }
    }

    private static DoubleHistogram histogram(Meter meter, TlsMeters m) {
        return meter.histogramBuilder(m.meterName())
                .setUnit(m.unit())
                .setDescription(m.description())
                .setExplicitBucketBoundariesAdvice(BUCKETS)
                .build();
    }

    private static LongCounter counter(Meter meter, TlsMeters m) {
        return meter.counterBuilder(m.meterName()).setUnit(m.unit()).setDescription(m.description()).build();
    }

    private static AutoCloseable health(Meter meter, TlsMeters m, DoubleSupplier value) {
        if (m.type().equals("gauge")) {
            return meter.gaugeBuilder(m.meterName()).setUnit(m.unit()).setDescription(m.description())
                    .buildWithCallback(g -> g.record(value.getAsDouble()));
        }
        return meter.counterBuilder(m.meterName()).setUnit(m.unit()).setDescription(m.description())
                .buildWithCallback(c -> c.record((long) value.getAsDouble()));
    }

    /** The attributes of one label set of {@code meter}, made once (label sets are bounded). */
    private Attributes attributes(TlsMeters meter, List<String> values) {
        List<String> key = new ArrayList<>(values.size() + 1);
        key.add(meter.name());
        key.addAll(values);
        return attributes.computeIfAbsent(key, k -> {
            AttributesBuilder b = Attributes.builder();
            OtelNames.attributes(meter, values, (name, value) -> {
                if (value instanceof Boolean) {
                    b.put(name, (Boolean) value);
                } else {
                    b.put(name, (String) value);
                }
            });
            return b.build();
        });
    }

    private Attributes attributes(TlsMeters meter, String... values) {
        return attributes(meter, Arrays.asList(values));
    }

    @Override
    public void export(HandshakeRecord r) {
        RecordedMeters.feed(r, labels, recorded);
        log(r);
    }

    /** The histograms and counters a record feeds, in seconds as the conventions want them. */
    private final RecordedMeters recorded = new RecordedMeters() {
        @Override
        public void record(TlsMeters histogram, long nanos, String... labelValues) {
            (histogram == TlsMeters.HANDSHAKE_DURATION ? durations : trustChecks)
                    .record(nanos / 1e9, attributes(histogram, labelValues));
        }

        @Override
        public void increment(TlsMeters counter, String... labelValues) {
            counters.get(counter).add(1, attributes(counter, labelValues));
        }
    };

    private void log(HandshakeRecord r) {
        Attributes attrs;
        try {
            attrs = logAttributes.of(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TraceContext trace = r.trace();
        Context context = trace == null ? Context.root() : Context.root().with(Span.wrap(SpanContext.create(
                trace.traceId(), trace.spanId(), trace.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault())));
        logger.logRecordBuilder()
                .setTimestamp(r.timestamp())
                .setContext(context)
                .setSeverity(r.success() ? Severity.INFO : Severity.WARN)
                .setSeverityText(r.success() ? "INFO" : "WARN")
                .setEventName("tls.handshake")
                .setBody(summary(r))
                .setAllAttributes(attrs)
                .emit();
    }

    /** A line for a person reading the log: role, version, suite, outcome. */
    static String summary(HandshakeRecord r) {
        return "TLS handshake (" + r.role().label() + "): "
                + (r.protocol() != null ? r.protocol() : "no version") + " "
                + (r.cipherSuite() != null ? r.cipherSuite() : "no cipher suite") + ", "
                + (r.success() ? "established" : "failed: " + r.error().label());
    }

    /** Stops reading the counts and the health meters (detach); what was recorded stays with the provider. */
    @Override
    public void close(long timeoutMillis) {
        sources.counts().unbind(onSeries);
        for (AutoCloseable c : callbacks) {
            try {
                c.close();
            } catch (Exception ignored) {
                // an instrument that cannot be closed only keeps reporting the last values
            }
        }
    }
}
