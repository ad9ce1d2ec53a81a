package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.trace.v1.Span;
import io.tlsagent.testsupport.Records;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks the OpenTelemetry tests share: the pushed counts against the JSON log, trace IDs against spans. */
final class OtelChecks {

    private OtelChecks() {}

    /**
     * PromQL over what VictoriaMetrics received equals the JSON log exactly, per label set (the OpenTelemetry
     * names as VictoriaMetrics turns them into Prometheus labels), and the histogram counted each timed handshake.
     */
    static void victoriaMetricsEqualsTheLog(VictoriaMetrics vm, String service, Records records) throws Exception {
        Map<List<String>, Long> fromLog = new HashMap<>();
        for (JsonNode r : records) {
            fromLog.merge(List.of(text(r, "tls_agent.role"), orEmpty(text(r, "tls.version")),
                    orEmpty(text(r, "tls.cipher")), orEmpty(text(r, "tls.resumed")), orEmpty(text(r, "error.type")),
                    text(r, "tls_agent.provider")), 1L, Long::sum);
        }
        Map<List<String>, Long> fromVm = new HashMap<>();
        vm.query("sum by (tls_agent_role, tls_protocol_version, tls_cipher, tls_resumed, error_type,"
                + " tls_agent_provider) (tls_handshakes_total{service_name=\"" + service + "\"})").forEach(
                        (labels, value) -> fromVm.put(List.of(labels.get("tls_agent_role"),
                                orEmpty(labels.get("tls_protocol_version")), orEmpty(labels.get("tls_cipher")),
                                orEmpty(labels.get("tls_resumed")), orEmpty(labels.get("error_type")),
                                labels.get("tls_agent_provider")), value.longValue()));
        assertThat(fromVm).isEqualTo(fromLog);
        assertThat(vm.scalar("sum(tls_handshake_duration_seconds_count{service_name=\"" + service + "\"})"))
                .isEqualTo((double) records.where(r -> text(r, "event.duration") != null).size());
    }

    /**
     * Each call's client handshake (and only it) carries the call's trace; its span is one the OpenTelemetry agent
     * exported in that trace (the call's own, or the HTTP client span inside it), and the OTLP log record of the
     * handshake is linked to that span.
     */
    static void clientHandshakesCarryTheirCallsTrace(List<String[]> calls, Records records, List<Span> spans,
            List<OtlpReceiver.Log> logs) {
        Map<String, List<Span>> byTrace = spans.stream()
                .collect(Collectors.groupingBy(s -> OtlpReceiver.hex(s.getTraceId().toByteArray())));
        for (String[] call : calls) {
            String traceId = call[2];
            Records inTrace = records.where("trace.id", traceId);
            assertThat(inTrace.size()).as(call[0] + " call " + call[1] + ": its handshake's record carries its trace")
                    .isEqualTo(1);
            JsonNode r = inTrace.get(0);
            assertThat(text(r, "tls_agent.role")).isEqualTo("client");
            Set<String> exported = byTrace.getOrDefault(traceId, List.of()).stream()
                    .map(s -> OtlpReceiver.hex(s.getSpanId().toByteArray())).collect(Collectors.toSet());
            assertThat(exported).as("the spans the OpenTelemetry agent exported in that trace")
                    .contains(call[3], text(r, "span.id"));
            assertThat(logs).as("the OTLP log record of that handshake is linked to the span")
                    .anySatisfy(l -> {
                        assertThat(l.traceId()).isEqualTo(traceId);
                        assertThat(l.spanId()).isEqualTo(text(r, "span.id"));
                    });
        }
        assertThat(records.role("server").where(r -> text(r, "trace.id") != null).size())
                .as("server handshakes carry none").isZero();
    }

    /** Closes what a test started (forks, receivers), whatever fails. */
    static void closeAll(AutoCloseable... started) {
        for (AutoCloseable c : started) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // cleanup
            }
        }
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
