package io.tlsagent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tlsagent.anatomy.Finding;
import io.tlsagent.anatomy.TlsNames;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeListener;
import io.tlsagent.record.HandshakeRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Counts each handshake and records its duration ({@link TlsMeters#HANDSHAKES}, {@link TlsMeters#HANDSHAKE_DURATION}). */
public final class HandshakeMetrics implements HandshakeListener {

    /** Histogram buckets from 100 µs (a resumption on loopback) to 10 s (a stuck peer). */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final LabelValues labels = new LabelValues();
    private final MeterCache<Counter> handshakes;
    private final MeterCache<Timer> durations;
    private final MeterCache<Timer> trustChecks;
    private final MeterCache<Counter> findings;
    private final MeterCache<Counter> clientHellos;

    public HandshakeMetrics(MeterRegistry registry) {
        handshakes = new MeterCache<>(v -> Counter.builder(TlsMeters.HANDSHAKES.meterName())
                .description(TlsMeters.HANDSHAKES.description())
                .tags(tags(TlsMeters.HANDSHAKES, v))
                .register(registry));
        durations = new MeterCache<>(v -> timer(registry, TlsMeters.HANDSHAKE_DURATION, v));
        trustChecks = new MeterCache<>(v -> timer(registry, TlsMeters.TRUST_CHECK_DURATION, v));
        findings = new MeterCache<>(v -> Counter.builder(TlsMeters.HANDSHAKE_FINDINGS.meterName())
                .description(TlsMeters.HANDSHAKE_FINDINGS.description())
                .tags(tags(TlsMeters.HANDSHAKE_FINDINGS, v))
                .register(registry));
        clientHellos = new MeterCache<>(v -> Counter.builder(TlsMeters.CLIENT_HELLOS.meterName())
                .description(TlsMeters.CLIENT_HELLOS.description())
                .tags(tags(TlsMeters.CLIENT_HELLOS, v))
                .register(registry));
    }

    private static Timer timer(MeterRegistry registry, TlsMeters meter, List<String> labelValues) {
        return Timer.builder(meter.meterName())
                .description(meter.description())
                .serviceLevelObjectives(BUCKETS)
                .tags(tags(meter, labelValues))
                .register(registry);
    }

    /** The meter's labels (in {@link TlsMeters}' order) with these values. */
    private static Tags tags(TlsMeters meter, List<String> values) {
        Tags tags = Tags.empty();
        for (int i = 0; i < values.size(); i++) {
            tags = tags.and(meter.labels().get(i), values.get(i));
        }
        return tags;
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

    @Override
    public void onHandshake(HandshakeRecord r) {
        String role = r.role().label();
        String protocol = labels.protocol(r.protocol());
        String resumed = r.resumed() == null ? "unknown" : r.resumed().toString();
        String result = r.success() ? "success" : r.error().label();
        handshakes.get(role, protocol, labels.cipherSuite(r.cipherSuite()), resumed, result,
                labels.provider(r.provider())).increment();
        if (r.anatomy() != null) {
            anatomy(role, r.anatomy());
        }
        if (r.durationNanos() >= 0) {
            durations.get(role, protocol, resumed, result).record(r.durationNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
