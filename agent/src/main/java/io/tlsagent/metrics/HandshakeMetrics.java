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

    private final MeterRegistry registry;
    private final LabelValues labels = new LabelValues();

    public HandshakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private void anatomy(String role, HandshakeAnatomy a) {
        if (a.trustCheckNanos() >= 0) {
            Timer.builder(TlsMeters.TRUST_CHECK_DURATION.meterName())
                    .description(TlsMeters.TRUST_CHECK_DURATION.description())
                    .serviceLevelObjectives(BUCKETS)
                    .tags(Tags.of("role", role, "result", a.trustCheckFailed() ? "failure" : "success"))
                    .register(registry)
                    .record(a.trustCheckNanos(), TimeUnit.NANOSECONDS);
        }
        for (Finding finding : a.findings()) {
            Counter.builder(TlsMeters.HANDSHAKE_FINDINGS.meterName())
                    .description(TlsMeters.HANDSHAKE_FINDINGS.description())
                    .tags(Tags.of("role", role, "finding", finding.label()))
                    .register(registry)
                    .increment();
        }
        if (a.clientHello() != null) {
            Counter.builder(TlsMeters.CLIENT_HELLOS.meterName())
                    .description(TlsMeters.CLIENT_HELLOS.description())
                    .tags(Tags.of("role", role, "max_offered_version",
                            labels.protocol(TlsNames.version(a.clientHello().highestVersion()))))
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onHandshake(HandshakeRecord r) {
        String role = r.role().label();
        String protocol = labels.protocol(r.protocol());
        String resumed = r.resumed() == null ? "unknown" : r.resumed().toString();
        String result = r.success() ? "success" : r.error().label();
        Counter.builder(TlsMeters.HANDSHAKES.meterName())
                .description(TlsMeters.HANDSHAKES.description())
                .tags(Tags.of("role", role, "protocol", protocol, "cipher_suite", labels.cipherSuite(r.cipherSuite()),
                        "resumed", resumed, "result", result, "provider", labels.provider(r.provider())))
                .register(registry)
                .increment();
        if (r.anatomy() != null) {
            anatomy(role, r.anatomy());
        }
        if (r.durationNanos() >= 0) {
            Timer.builder(TlsMeters.HANDSHAKE_DURATION.meterName())
                    .description(TlsMeters.HANDSHAKE_DURATION.description())
                    .serviceLevelObjectives(BUCKETS)
                    .tags(Tags.of("role", role, "protocol", protocol, "resumed", resumed, "result", result))
                    .register(registry)
                    .record(r.durationNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
