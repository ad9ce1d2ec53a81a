package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.LabelValues;
import io.tlsagent.export.meters.RecordedMeters;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.HandshakeRecord;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * The handshake meters in a Micrometer registry: {@link TlsMeters#HANDSHAKES} read from the agent's exact counts
 * (function counters), and the histograms and anatomy counters ({@link TlsMeters#HANDSHAKE_DURATION},
 * {@link TlsMeters#TRUST_CHECK_DURATION}, {@link TlsMeters#HANDSHAKE_FINDINGS}, {@link TlsMeters#CLIENT_HELLOS},
 * {@link TlsMeters#KEY_EXCHANGE_GROUPS}) recorded on the export thread.
 */
public final class HandshakeMeters implements MeterBinder, Exporter, RecordedMeters {

    static final Duration[] BUCKETS = LongStream.of(TlsMeters.bucketNanos()).mapToObj(Duration::ofNanos)
            .toArray(Duration[]::new);

    private final HandshakeCounts counts;
    private final LabelValues labels = new LabelValues();
    private MeterCache<Timer> durations;
    private MeterCache<Timer> trustChecks;
    private final Map<TlsMeters, MeterCache<Counter>> counters = new EnumMap<>(TlsMeters.class);

    public HandshakeMeters(HandshakeCounts counts) {
        this.counts = counts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counts.bind((labelValues, count) -> FunctionCounter.builder(TlsMeters.HANDSHAKES.meterName(), count,
                        c -> c.sum())
                .description(TlsMeters.HANDSHAKES.description())
                .tags(tags(TlsMeters.HANDSHAKES, labelValues))
                .register(registry));
        durations = new MeterCache<>(v -> timer(registry, TlsMeters.HANDSHAKE_DURATION, v));
        trustChecks = new MeterCache<>(v -> timer(registry, TlsMeters.TRUST_CHECK_DURATION, v));
        for (TlsMeters m : List.of(TlsMeters.HANDSHAKE_FINDINGS, TlsMeters.CLIENT_HELLOS,
                TlsMeters.KEY_EXCHANGE_GROUPS)) {
            counters.put(m, new MeterCache<>(v -> counter(registry, m, v)));
        }
    }

    private static Timer timer(MeterRegistry registry, TlsMeters meter, List<String> labelValues) {
        return Timer.builder(meter.meterName())
                .description(meter.description())
                .serviceLevelObjectives(BUCKETS)
                .tags(tags(meter, labelValues))
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, TlsMeters meter, List<String> labelValues) {
        return Counter.builder(meter.meterName())
                .description(meter.description())
                .tags(tags(meter, labelValues))
                .register(registry);
    }

    /** The meter's labels (in {@link TlsMeters}' order) with these values. */
    static Tags tags(TlsMeters meter, List<String> values) {
        Tags tags = Tags.empty();
        for (int i = 0; i < values.size(); i++) {
            tags = tags.and(meter.labels().get(i), values.get(i));
        }
        return tags;
    }

    @Override
    public void export(HandshakeRecord r) {
        RecordedMeters.feed(r, labels, this);
    }

    @Override
    public void record(TlsMeters histogram, long nanos, String... labelValues) {
        (histogram == TlsMeters.HANDSHAKE_DURATION ? durations : trustChecks).get(labelValues)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void increment(TlsMeters counter, String... labelValues) {
        counters.get(counter).get(labelValues).increment();
    }
}
