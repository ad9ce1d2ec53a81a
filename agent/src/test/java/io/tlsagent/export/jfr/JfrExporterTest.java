package io.tlsagent.export.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.HandshakeSpans;
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

/** The event in a real (in-process) recording: begun and committed as a handshake starts and ends. */
class JfrExporterTest {

    @TempDir
    Path dir;

    private static HandshakeRecord ok() {
        return HandshakeRecord.builder().timestamp(Instant.now()).role(Role.SERVER).api(Api.SSL_ENGINE)
                .provider("SunJSSE").protocol("TLSv1.2").cipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .resumed(true).resumption(Resumption.TICKET).durationNanos(12_345_678).peerAddress("10.1.2.3")
                .peerPort(50000).localAddress("10.0.0.1").localPort(8443).serverName("api.example")
                .namedGroup("x25519").applicationProtocol("h2").threadName("t").build();
    }

    private static HandshakeRecord failed() {
        return HandshakeRecord.builder().timestamp(Instant.now()).role(Role.CLIENT).api(Api.SSL_SOCKET)
                .provider("SunJSSE").error(ErrorType.values()[0]).alert("protocol_version")
                .errorMessage("no common protocol").durationNanos(-1).peerAddress("10.9.9.9").peerPort(443)
                .peerDomain("api.example").threadName("t").build();
    }

    /** A handshake of about {@code millis}, as the captures drive the spans. */
    private static void handshake(HandshakeSpans spans, HandshakeRecord record, long millis) throws Exception {
        Object span = spans.begin();
        Thread.sleep(millis);
        spans.end(span);
        spans.commit(span, record);
    }

    private List<RecordedEvent> events(Recording r) throws Exception {
        Path file = dir.resolve("r" + System.nanoTime() + ".jfr");
        r.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("tlsagent.Handshake")).collect(Collectors.toList());
    }

    @Test
    void defaultSettingsRecordEachHandshakeWithItsRealStartAndDuration() throws Exception {
        JfrExporter jfr = new JfrExporter();
        try {
            assertThat(jfr.begin()).as("no recording: no event, no allocation").isNull();
            jfr.commit(null, ok()); // no recording: nothing
            List<RecordedEvent> events;
            Instant before;
            try (Recording r = new Recording(jdk.jfr.Configuration.getConfiguration("default"))) {
                r.start();
                before = Instant.now();
                handshake(jfr, ok(), 30);
                handshake(jfr, failed(), 0);
                jfr.commit(null, ok()); // a handshake whose start was not seen: recorded, without a duration
                r.stop();
                events = events(r);
            }
            handshake(jfr, ok(), 0); // recording over: nothing
            assertThat(events).hasSize(3);

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
            assertThat(e.getString("localAddress")).isEqualTo("10.0.0.1");
            assertThat(e.getInt("localPort")).isEqualTo(8443);
            assertThat(e.getString("applicationProtocol")).isEqualTo("h2");
            assertThat(e.getBoolean("success")).isTrue();
            assertThat(e.getString("errorType")).isNull();
            assertThat(e.getDuration()).isBetween(Duration.ofMillis(30), Duration.ofMillis(1000));
            assertThat(e.getStartTime()).isBetween(before.minusMillis(5), before.plusMillis(200));
            assertThat(e.getThread().getJavaName()).isEqualTo(Thread.currentThread().getName());
            assertThat(e.getStackTrace()).isNull();

            RecordedEvent f = events.get(1);
            assertThat(f.getBoolean("success")).isFalse();
            assertThat(f.getString("errorType")).isEqualTo(ErrorType.values()[0].label());
            assertThat(f.getString("alert")).isEqualTo("protocol_version");
            assertThat(f.getString("errorMessage")).isEqualTo("no common protocol");
            assertThat(f.getString("peerDomain")).isEqualTo("api.example");
            assertThat(f.getString("protocol")).isNull();
            assertThat(f.getStartTime()).isAfterOrEqualTo(e.getEndTime());

            assertThat(events.get(2).getDuration()).isZero();
        } finally {
            jfr.close();
        }
    }

    @Test
    void aThresholdKeepsOnlyTheSlowHandshakes() throws Exception {
        JfrExporter jfr = new JfrExporter();
        try (Recording r = new Recording()) {
            r.enable(HandshakeEvent.NAME).withThreshold(Duration.ofMillis(50));
            r.start();
            handshake(jfr, ok(), 0);
            handshake(jfr, ok(), 80);
            handshake(jfr, failed(), 0);
            jfr.commit(null, ok()); // no duration: below any threshold
            r.stop();
            List<RecordedEvent> events = events(r);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(80));
        } finally {
            jfr.close();
        }
    }

    @Test
    void theEventTypeIsEnabledWithoutThresholdOrStackTraceInTheDefaultSettings() throws Exception {
        FlightRecorder.getFlightRecorder(); // initialized: the exporter registers its event at once
        JfrExporter jfr = new JfrExporter();
        try {
            EventType type = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                    .filter(t -> t.getName().equals("tlsagent.Handshake")).findFirst().orElseThrow();
            java.util.Map<String, String> defaults = type.getSettingDescriptors().stream()
                    .collect(Collectors.toMap(d -> d.getName(), d -> d.getDefaultValue()));
            assertThat(defaults).containsEntry("enabled", "true").containsEntry("stackTrace", "false")
                    .containsEntry("threshold", "0 ms");
            assertThat(type.getCategoryNames()).contains("TLS");
        } finally {
            jfr.close();
        }
        assertThat(FlightRecorder.getFlightRecorder().getEventTypes()).as("unregistered when closed")
                .noneMatch(t -> t.getName().equals("tlsagent.Handshake"));
    }

    @Test
    void createdByNameWhenTheModuleIsPresent() throws Exception {
        HandshakeSpans spans = Jfr.spans(r -> null);
        assertThat(spans).isInstanceOf(JfrExporter.class);
        ((JfrExporter) spans).close();
    }
}
