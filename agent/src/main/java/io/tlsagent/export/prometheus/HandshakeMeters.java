package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tlsagent.anatomy.TlsNames;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.LabelValues;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.Finding;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The handshake meters in a Micrometer registry: {@link TlsMeters#HANDSHAKES} read from the agent's exact counts
 * (function counters), and the histograms and anatomy counters ({@link TlsMeters#HANDSHAKE_DURATION},
 * {@link TlsMeters#TRUST_CHECK_DURATION}, {@link TlsMeters#HANDSHAKE_FINDINGS}, {@link TlsMeters#CLIENT_HELLOS})
 * recorded on the export thread.
 */
public final class HandshakeMeters implements MeterBinder, Exporter {

    /** Histogram buckets from 100 µs (a resumption on loopback) to 10 s (a stuck peer). */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final HandshakeCounts counts;
    private final LabelValues labels = new LabelValues();
    private MeterCache<Timer> durations;
    private MeterCache<Timer> trustChecks;
    private MeterCache<Counter> findings;
    private MeterCache<Counter> clientHellos;

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
        findings = new MeterCache<>(v -> counter(registry, TlsMeters.HANDSHAKE_FINDINGS, v));
        clientHellos = new MeterCache<>(v -> counter(registry, TlsMeters.CLIENT_HELLOS, v));
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
        String role = r.role().label();
        String protocol = labels.protocol(r.protocol());
        String resumed = LabelValues.resumed(r);
        String result = LabelValues.result(r);
        if (r.anatomy() != null) {
            anatomy(role, r.anatomy());
        }
        if (r.durationNanos() >= 0) {
            durations.get(role, protocol, resumed, result).record(r.durationNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void anatomy(String role, HandshakeAnatomy a) {
        if (a.trustCheckNanos() >= 0) {
            trustChecks.get(role, a.trustCheckFailed() ? "failure" : "success")
                    .record(a.trustCheckNanos(), TimeUnit.NANOSECONDS);
        }
        for (Finding finding : a.findings()) {
            findings.get(role, finding.label()).increment();
        }
        if (a.clientHello() != null) {
            clientHellos.get(role, labels.protocol(TlsNames.version(a.clientHello().highestVersion()))).increment();
        }
    }
}
