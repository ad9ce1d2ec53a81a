package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.compat.apps.OtelApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tls-agent as an extension of the OpenTelemetry Java agent 2.x ({@code -Dotel.javaagent.extensions=
 * tls-agent-otel-extension.jar}, no {@code -javaagent} of ours): the handshakes go out through that agent's own
 * exporters and resource, once. Checked three ways: VictoriaMetrics (that agent's OTLP metrics exporter) equals
 * the JSON log exactly; the logs receiver (its OTLP logs exporter) has one record per handshake; and its
 * {@code logging-otlp} exporters' output, a second and independent check, has the same. The agent opened no port
 * of its own; trace context as with the standalone agent. One forked JVM.
 */
class OtelExtensionIT {

    static final String SERVICE = "ext-app";
    static final Path EXTENSION = Paths.get(System.getProperty("tlsagent.test.otel.extension",
            "../agent/target/tls-agent-otel-extension.jar")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;
    static OtlpReceiver receiver;
    static ForkedJvm jvm;
    static Records records;
    static List<String[]> calls;

    @BeforeAll
    static void run() throws Exception {
        assertThat(EXTENSION).as("the agent's build makes it").isRegularFile();
        TestPki.createIn(dir);
        vm = VictoriaMetrics.start(dir);
        receiver = OtlpReceiver.start(0, null);
        jvm = ForkedJvm.builder(dir, OtelApp.class.getName()).args(dir.toString()).withoutAgent()
                .beforeAgent("-javaagent:" + OpenTelemetryAgentIT.OTEL_JAR)
                .jvmArgs("-Dotel.javaagent.extensions=" + EXTENSION, "-Dotel.service.name=" + SERVICE,
                        "-Dotel.metrics.exporter=otlp,logging-otlp", "-Dotel.logs.exporter=otlp,logging-otlp",
                        "-Dotel.traces.exporter=otlp",
                        "-Dotel.exporter.otlp.metrics.endpoint=" + vm.otlpMetrics(),
                        "-Dotel.exporter.otlp.logs.endpoint=" + receiver.url("/v1/logs"),
                        "-Dotel.exporter.otlp.traces.endpoint=" + receiver.url("/v1/traces"),
                        "-Dotel.metric.export.interval=200", "-Dotel.blrp.schedule.delay=200",
                        "-Dotel.bsp.schedule.delay=200",
                        // The JSON log, asked for: in extension mode it is off unless asked.
                        "-Dtlsagent.log=file:" + dir.resolve("handshakes.jsonl"))
                .keepLogsAs("OtelExtensionIT")
                .start();
        jvm.awaitReady();
        jvm.send("round 4 1");
        jvm.awaitStdout("ROUND 1", 120);
        calls = jvm.values("CALL").stream().map(l -> l.split(" ")).filter(c -> c[4].equals("ok"))
                .collect(Collectors.toList());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int lines = jvm.records().size();
            if (lines >= 8 && total() == lines && receiver.logs("io.tlsagent").size() == lines
                    && loggedRecords().size() == lines) {
                break;
            }
            Thread.sleep(200);
        }
        jvm.send("exit");
        assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
        records = jvm.records();
    }

    @AfterAll
    static void stop() {
        OtelChecks.closeAll(jvm, receiver, vm);
    }

    static double total() throws Exception {
        return vm.scalar("sum(tls_handshakes_total{service_name=\"" + SERVICE + "\"})");
    }

    /** The OTLP JSON that the logging-otlp exporter of one signal printed, one document a line. */
    static List<JsonNode> logged(String exporter) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : jvm.stderr()) {
            int at = line.indexOf(exporter + " - {");
            if (at >= 0) {
                try {
                    out.add(JSON.readTree(line.substring(at + exporter.length() + 3)));
                } catch (Exception e) {
                    throw new AssertionError("not OTLP JSON: " + line, e);
                }
            }
        }
        return out;
    }

    /** The log records of scope io.tlsagent that logging-otlp printed. */
    static List<JsonNode> loggedRecords() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode resourceLogs : logged("OtlpJsonLoggingLogRecordExporter")) {
            for (JsonNode scope : resourceLogs.path("scopeLogs")) {
                if (scope.path("scope").path("name").asText().equals("io.tlsagent")) {
                    scope.path("logRecords").forEach(out::add);
                }
            }
        }
        return out;
    }

    @Test
    void theHandshakesWentThroughTheOpenTelemetryAgentsMetricsExporterOnce() throws Exception {
        assertThat(records.size()).isGreaterThanOrEqualTo(8);
        OtelChecks.victoriaMetricsEqualsTheLog(vm, SERVICE, records);
        assertThat(vm.query("count by (__name__) ({__name__=~\"jvm_.+\", service_name=\"" + SERVICE + "\"})"))
                .as("positive control: the OpenTelemetry agent's own JVM metrics").isNotEmpty();
    }

    @Test
    void oneLogRecordPerHandshakeWithThatAgentsResource() {
        List<OtlpReceiver.Log> logs = receiver.logs("io.tlsagent");
        assertThat(logs).hasSize(records.size());
        assertThat(logs).allSatisfy(l -> {
            assertThat(l.resource).containsEntry("service.name", SERVICE)
                    .containsEntry("telemetry.distro.name", "opentelemetry-java-instrumentation");
            assertThat(l.record.getEventName()).isEqualTo("tls.handshake");
        });
    }

    @Test
    void loggingOtlpSaysTheSameIndependently() {
        assertThat(loggedRecords()).hasSize(records.size());
        long lastCount = -1;
        for (JsonNode resourceMetrics : logged("OtlpJsonLoggingMetricExporter")) {
            for (JsonNode scope : resourceMetrics.path("scopeMetrics")) {
                for (JsonNode metric : scope.path("metrics")) {
                    if (scope.path("scope").path("name").asText().equals("io.tlsagent")
                            && metric.path("name").asText().equals("tls.handshakes")) {
                        long sum = 0;
                        for (JsonNode point : metric.path("sum").path("dataPoints")) {
                            sum += point.path("asInt").asLong();
                        }
                        lastCount = sum;
                    }
                }
            }
        }
        assertThat(lastCount).as("tls.handshakes in the last metrics logging-otlp printed").isEqualTo(records.size());
    }

    @Test
    void clientHandshakesCarryTheSpanOfTheCallThatStartedThem() {
        OtelChecks.clientHandshakesCarryTheirCallsTrace(calls, records, receiver.spans(),
                receiver.logs("io.tlsagent"));
    }

    @Test
    void theAgentOpenedNoPortAndRanNoExporterOfItsOwn() {
        List<String> said = jvm.stderr().stream().filter(l -> l.startsWith("[tls-agent]"))
                .collect(Collectors.toList());
        assertThat(said).singleElement().asString().contains("handshakes to the OpenTelemetry agent's exporters")
                .doesNotContain("metrics on").doesNotContain("OTLP to");
    }
}
