package io.tlsagent.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlsagent.export.meters.HandshakeCounts;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The handshake meters: exact counts read through function counters, histograms recorded by the exporter. */
class HandshakeMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandshakeCounts counts = new HandshakeCounts();
    private final HandshakeMeters meters = new HandshakeMeters(counts);

    HandshakeMetersTest() {
        meters.bindTo(registry);
    }

    /** As the export pipeline does: counted on the handshake's thread, then exported on the agent's. */
    private void record(HandshakeRecord r) {
        counts.count(r);
        meters.export(r);
    }

    private static HandshakeRecord successRecord() {
        return HandshakeRecord.builder()
                .timestamp(Instant.EPOCH)
                .role(Role.CLIENT)
                .api(Api.SSL_SOCKET)
                .provider("SunJSSE")
                .protocol("TLSv1.3")
                .cipherSuite("TLS_AES_128_GCM_SHA256")
                .resumed(true)
                .resumption(Resumption.PSK)
                .durationNanos(2_500_000L)
                .serverName("api.example.com")
                .build();
    }

    private static HandshakeRecord failureRecord() {
        return HandshakeRecord.builder()
                .timestamp(Instant.EPOCH)
                .role(Role.SERVER)
                .api(Api.SSL_ENGINE)
                .provider("SunJSSE")
                .protocol(null)
                .cipherSuite(null)
                .resumed(false)
                .durationNanos(-1)
                .error(ErrorType.PROTOCOL_VERSION)
                .alert("protocol_version")
                .build();
    }

    private static List<String> tagKeys(Meter meter) {
        return meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toList());
    }

    @Test
    void successIsCountedWithExactTags() {
        record(successRecord());

        FunctionCounter counter = registry.get("tls.handshakes").functionCounter();
        assertThat(counter.count()).isEqualTo(1.0);
        assertThat(counter.getId().getTags()).containsExactlyInAnyOrderElementsOf(Tags.of(
                "role", "client",
                "protocol", "TLSv1.3",
                "cipher_suite", "TLS_AES_128_GCM_SHA256",
                "resumed", "true",
                "result", "success",
                "provider", "SunJSSE"));
        assertThat(counter.getId().getDescription()).isEqualTo(TlsMeters.HANDSHAKES.description());
    }

    @Test
    void failureIsCountedWithErrorLabelAndNone() {
        record(failureRecord());

        FunctionCounter counter = registry.get("tls.handshakes").functionCounter();
        assertThat(counter.count()).isEqualTo(1.0);
        assertThat(counter.getId().getTags()).containsExactlyInAnyOrderElementsOf(Tags.of(
                "role", "server",
                "protocol", "none",
                "cipher_suite", "none",
                "resumed", "false",
                "result", "protocol_version",
                "provider", "SunJSSE"));
    }

    @Test
    void successAndFailureAreSeparateSeries() {
        record(successRecord());
        record(failureRecord());
        record(successRecord());

        assertThat(registry.get("tls.handshakes").functionCounters()).hasSize(2);
        assertThat(registry.get("tls.handshakes").tag("result", "success").functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get("tls.handshakes").tag("result", "protocol_version").functionCounter().count())
                .isEqualTo(1.0);
    }

    @Test
    void durationIsRecorded() {
        record(successRecord());

        Timer timer = registry.get("tls.handshake.duration").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2_500_000.0);
        assertThat(timer.max(TimeUnit.NANOSECONDS)).isEqualTo(2_500_000.0);
        assertThat(timer.getId().getTags()).containsExactlyInAnyOrderElementsOf(Tags.of(
                "role", "client",
                "protocol", "TLSv1.3",
                "resumed", "true",
                "result", "success"));
        assertThat(timer.getId().getDescription()).isEqualTo(TlsMeters.HANDSHAKE_DURATION.description());
    }

    @Test
    void unknownDurationIsNotRecorded() {
        record(failureRecord());

        assertThat(registry.find("tls.handshake.duration").timers()).isEmpty();
        assertThat(registry.get("tls.handshakes").functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void failureWithDurationIsTimedUnderItsResult() {
        HandshakeRecord r = HandshakeRecord.builder()
                .timestamp(Instant.EPOCH).role(Role.CLIENT).api(Api.SSL_SOCKET).provider("SunJSSE")
                .protocol("TLSv1.2").durationNanos(0).error(ErrorType.CERTIFICATE_EXPIRED).build();

        record(r);

        Timer timer = registry.get("tls.handshake.duration").tag("result", "certificate_expired").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.getId().getTag("protocol")).isEqualTo("TLSv1.2");
    }

    @Test
    void unboundedValuesAreBounded() {
        HandshakeRecord r = HandshakeRecord.builder()
                .timestamp(Instant.EPOCH).role(Role.CLIENT).api(Api.SSL_SOCKET).provider(null)
                .protocol("TLSv9").cipherSuite("TLS \"evil\"\n").durationNanos(1).build();

        record(r);

        FunctionCounter counter = registry.get("tls.handshakes").functionCounter();
        assertThat(counter.getId().getTag("protocol")).isEqualTo("other");
        assertThat(counter.getId().getTag("cipher_suite")).isEqualTo("other");
        assertThat(counter.getId().getTag("provider")).isEqualTo("other");
        assertThat(registry.get("tls.handshake.duration").timer().getId().getTag("protocol")).isEqualTo("other");
    }

    @Test
    void tagKeysEqualTheDocumentedLabels() {
        record(successRecord());
        record(failureRecord());

        for (FunctionCounter c : registry.get(TlsMeters.HANDSHAKES.meterName()).functionCounters()) {
            assertThat(tagKeys(c)).containsExactlyInAnyOrderElementsOf(TlsMeters.HANDSHAKES.labels());
        }
        for (Timer t : registry.get(TlsMeters.HANDSHAKE_DURATION.meterName()).timers()) {
            assertThat(tagKeys(t)).containsExactlyInAnyOrderElementsOf(TlsMeters.HANDSHAKE_DURATION.labels());
        }
    }

    @Test
    void everyResultLabelIsAnErrorTypeOrSuccess() {
        for (ErrorType type : ErrorType.values()) {
            record(HandshakeRecord.builder().timestamp(Instant.EPOCH).role(Role.CLIENT)
                    .api(Api.SSL_SOCKET).provider("SunJSSE").error(type).build());
        }
        record(successRecord());

        List<String> results = registry.get("tls.handshakes").functionCounters().stream()
                .map(c -> c.getId().getTag("result")).collect(Collectors.toList());
        assertThat(results).hasSize(ErrorType.values().length + 1).doesNotHaveDuplicates()
                .contains("success", "other", "peer_closed", "certificate_hostname_mismatch");
    }
}
