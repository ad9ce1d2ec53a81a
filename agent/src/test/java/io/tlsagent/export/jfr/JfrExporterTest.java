package io.tlsagent.export.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event in a real (in-process) recording with the JDK's default settings. */
class JfrExporterTest {

    @TempDir
    Path dir;

    private static HandshakeRecord ok(Instant end) {
        return HandshakeRecord.builder().timestamp(end).role(Role.SERVER).api(Api.SSL_ENGINE).provider("SunJSSE")
                .protocol("TLSv1.2").cipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").resumed(true)
                .resumption(Resumption.TICKET).durationNanos(12_345_678).peerAddress("10.1.2.3").peerPort(50000)
                .localPort(8443).serverName("api.example").namedGroup("x25519").applicationProtocol("h2")
                .threadName("t").build();
    }

    private static HandshakeRecord failed(Instant end) {
        return HandshakeRecord.builder().timestamp(end).role(Role.CLIENT).api(Api.SSL_SOCKET).provider("SunJSSE")
                .error(ErrorType.values()[0]).alert("protocol_version").errorMessage("no common protocol")
                .durationNanos(-1).peerAddress("10.9.9.9").peerPort(443).threadName("t").build();
    }

    @Test
    void defaultSettingsRecordEachHandshakeWithItsRealStartAndDuration() throws Exception {
        JfrExporter exporter = new JfrExporter();
        Instant end = Instant.parse("2026-01-02T03:04:05.678Z");
        exporter.export(ok(end)); // no recording: nothing
        Path file = dir.resolve("r.jfr");
        try (Recording r = new Recording(jdk.jfr.Configuration.getConfiguration("default"))) {
            r.start();
            exporter.export(ok(end));
            exporter.export(failed(end));
            r.stop();
            r.dump(file);
        }
        exporter.export(ok(end)); // recording over: nothing
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("tlsagent.Handshake")).collect(Collectors.toList());
        assertThat(events).hasSize(2);

        RecordedEvent e = events.get(0);
        assertThat(e.getString("role")).isEqualTo("server");
        assertThat(e.getString("api")).isEqualTo(Api.SSL_ENGINE.label());
        assertThat(e.getString("protocol")).isEqualTo("TLSv1.2");
        assertThat(e.getString("cipherSuite")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(e.getBoolean("resumed")).isTrue();
        assertThat(e.getString("resumption")).isEqualTo("ticket");
        assertThat(e.getString("serverName")).isEqualTo("api.example");
        assertThat(e.getString("peerAddress")).isEqualTo("10.1.2.3");
        assertThat(e.getInt("peerPort")).isEqualTo(50000);
        assertThat(e.getString("applicationProtocol")).isEqualTo("h2");
        assertThat(e.getBoolean("success")).isTrue();
        assertThat(e.getString("errorType")).isNull();
        assertThat(e.getInstant("handshakeStart")).isEqualTo(end.minusNanos(12_345_678).truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS));
        assertThat(e.getDuration("handshakeDuration")).isEqualTo(Duration.ofNanos(12_345_678));
        assertThat(e.getStackTrace()).isNull();

        RecordedEvent f = events.get(1);
        assertThat(f.getBoolean("success")).isFalse();
        assertThat(f.getString("errorType")).isEqualTo(ErrorType.values()[0].label());
        assertThat(f.getString("alert")).isEqualTo("protocol_version");
        assertThat(f.getString("errorMessage")).isEqualTo("no common protocol");
        assertThat(f.getString("protocol")).isNull();
        assertThat(f.getInstant("handshakeStart")).isEqualTo(end.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void theEventTypeIsEnabledWithoutThresholdOrStackTraceInTheDefaultSettings() throws Exception {
        new JfrExporter();
        EventType type = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(t -> t.getName().equals("tlsagent.Handshake")).findFirst().orElseThrow();
        java.util.Map<String, String> defaults = type.getSettingDescriptors().stream()
                .collect(Collectors.toMap(d -> d.getName(), d -> d.getDefaultValue()));
        assertThat(defaults).containsEntry("enabled", "true").containsEntry("stackTrace", "false")
                .containsEntry("threshold", "0 ns");
        assertThat(type.getCategoryNames()).contains("TLS");
        assertThat(type.getField("handshakeDuration").getContentType()).isEqualTo("jdk.jfr.Timespan");
    }

    @Test
    void createdByNameWhenTheModuleIsPresent() throws Exception {
        assertThat(Jfr.exporter(r -> null)).isInstanceOf(JfrExporter.class);
    }
}
