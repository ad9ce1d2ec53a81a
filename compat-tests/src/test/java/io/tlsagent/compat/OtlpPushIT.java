package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.apps.AppTls;
import io.tlsagent.compat.apps.OtelApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own OTLP push ({@code otlp_endpoint=env}, the endpoints, service name, resource and CA from the
 * standard OTEL_* variables) from a traced application ({@link OtelApp}) that also runs the OpenTelemetry Java
 * agent: metrics to a real VictoriaMetrics, whose PromQL answer equals the JSON log's counts exactly, beside the
 * OpenTelemetry agent's own JVM metrics (the positive control); one log record per handshake, over HTTPS, to a
 * receiver that decodes OTLP with the official protobuf classes; trace context checked against the spans the
 * OpenTelemetry agent exported; the agent's pushes neither recorded as handshakes nor traced as CLIENT spans.
 * One forked JVM for all.
 */
@Tag("jdk")
class OtlpPushIT {

    static final String SERVICE = "otlp-app";

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;
    static OtlpReceiver logs;
    static OtlpReceiver traces;
    static ForkedJvm jvm;
    static Records records;
    static List<String[]> calls;

    @BeforeAll
    static void run() throws Exception {
        TestPki.createIn(dir);
        Path caPem = dir.resolve(TestPki.CA_PEM);
        vm = VictoriaMetrics.start(dir);
        logs = OtlpReceiver.start(0, AppTls.serverContext(dir));
        traces = OtlpReceiver.start(0, null);
        jvm = ForkedJvm.builder(dir, OtelApp.class.getName()).args(dir.toString())
                .beforeAgent("-javaagent:" + OpenTelemetryAgentIT.OTEL_JAR)
                .jvmArgs("-Dtlsagent.otlp_endpoint=env", "-Dtlsagent.otlp_interval=200ms",
                        "-Dotel.metrics.exporter=otlp", "-Dotel.logs.exporter=none", "-Dotel.traces.exporter=otlp",
                        "-Dotel.exporter.otlp.traces.endpoint=" + traces.url("/v1/traces"),
                        "-Dotel.metric.export.interval=200", "-Dotel.bsp.schedule.delay=200")
                .env("OTEL_SERVICE_NAME", SERVICE)
                .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=compat%20test")
                .env("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", vm.otlpMetrics())
                .env("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", logs.url("/v1/logs"))
                .env("OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE", caPem.toString())
                .keepLogsAs("OtlpPushIT")
                .start();
        jvm.awaitReady();
        jvm.send("round 6 2");
        jvm.awaitStdout("ROUND 1", 120);
        calls = jvm.values("CALL").stream().map(l -> l.split(" ")).collect(Collectors.toList());
        // Until the log, VictoriaMetrics and the receiver have the same number, and the clients' records are there.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int lines = jvm.records().size();
            if (lines >= 2 * calls.size() && total() == lines && logs.logs("io.tlsagent").size() == lines) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(1000); // a last round of pushes: nothing more may come
        jvm.send("exit");
        assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
        records = jvm.records();
    }

    @AfterAll
    static void stop() {
        OtelChecks.closeAll(jvm, logs, traces, vm);
    }

    static double total() throws Exception {
        return vm.scalar("sum(tls_handshakes_total{service_name=\"" + SERVICE + "\"})");
    }

    @Test
    void theApplicationMadeItsCalls() {
        assertThat(calls).hasSize(6);
        assertThat(calls.stream().filter(c -> c[4].equals("ok")).count()).isEqualTo(4);
        assertThat(records.role("client").size()).as("one client record per call").isEqualTo(6);
    }

    @Test
    void victoriaMetricsCountsEqualTheLogExactly() throws Exception {
        assertThat(records.size()).isGreaterThanOrEqualTo(12);
        OtelChecks.victoriaMetricsEqualsTheLog(vm, SERVICE, records);
        assertThat(vm.scalar("sum(tls_agent_otlp_log_records_dropped_total{service_name=\"" + SERVICE + "\"})"))
                .isZero();
    }

    @Test
    void positiveControlTheOpenTelemetryAgentsOwnMetricsAreThere() throws Exception {
        assertThat(vm.query("count by (__name__) ({__name__=~\"jvm_.+\", service_name=\"" + SERVICE + "\"})"))
                .as("the OpenTelemetry agent's JVM metrics in the same receiver").isNotEmpty();
    }

    @Test
    void oneLogRecordPerHandshakeWithTheConventionsNames() {
        List<OtlpReceiver.Log> received = logs.logs("io.tlsagent");
        assertThat(received).hasSize(records.size());
        for (OtlpReceiver.Log l : received) {
            assertThat(l.resource).containsEntry("service.name", SERVICE)
                    .containsEntry("deployment.environment.name", "compat test");
            assertThat(l.record.getEventName()).isEqualTo("tls.handshake");
            assertThat(l.attributes).containsKeys("tls_agent.role", "tls_agent.api", "tls.established",
                    "thread.name").doesNotContainKeys("tls.version", "service.name", "@timestamp");
            if (l.attributes.get("tls_agent.role").equals("client")) {
                assertThat(l.attributes).containsKeys("server.address", "server.port");
            }
            if (l.attributes.get("tls_agent.api").equals("SSLSocket")) {
                assertThat(l.attributes).containsKeys("network.peer.address", "network.peer.port");
            }
        }
        // The same handshakes: role, version, suite, outcome and ends as the JSON lines say.
        assertThat(received.stream().map(l -> List.of(Objects.toString(l.attributes.get("tls_agent.role")),
                Objects.toString(l.attributes.get("tls.protocol.version"), ""),
                Objects.toString(l.attributes.get("tls.cipher"), ""),
                Objects.toString(l.attributes.get("error.type"), ""),
                Objects.toString(l.attributes.get("client.port"), ""))).sorted(Comparator.comparing(Object::toString))
                .collect(Collectors.toList()))
                .isEqualTo(records.stream().map(r -> List.of(text(r, "tls_agent.role"),
                        orEmpty(text(r, "tls.version")), orEmpty(text(r, "tls.cipher")),
                        orEmpty(text(r, "error.type")), orEmpty(text(r, "client.port"))))
                        .sorted(Comparator.comparing(Object::toString)).collect(Collectors.toList()));
    }

    @Test
    void clientHandshakesCarryTheSpanOfTheCallThatStartedThem() {
        OtelChecks.clientHandshakesCarryTheirCallsTrace(calls, records, traces.spans(), logs.logs("io.tlsagent"));
    }

    @Test
    void theAgentsOwnPushesAreNeitherRecordedNorTraced() {
        assertThat(records.where("server.port", Integer.toString(logs.port)).size())
                .as("handshakes with the HTTPS receiver are the agent's own").isZero();
        assertThat(logs.logRequests()).as("yet the receiver was reached over HTTPS").isNotEmpty();
        List<Object> ports = traces.spans().stream().map(s -> OtlpReceiver.attributes(s.getAttributesList())
                .get("server.port")).filter(Objects::nonNull).collect(Collectors.toList());
        assertThat(ports).as("the OpenTelemetry agent traced the application's calls")
                .contains((long) Integer.parseInt(jvm.value("PORT")));
        assertThat(ports).as("but none of the agent's pushes").doesNotContain((long) vm.port, (long) logs.port);
    }

    @Test
    void theAgentSaidOnlyThatItStarted() {
        assertThat(jvm.stderr().stream().filter(l -> l.startsWith("[tls-agent]")).collect(Collectors.toList()))
                .singleElement().asString().contains("started").contains("OTLP to " + vm.otlpMetrics());
    }

    private static String orEmpty(String s) {
        return OtelChecks.orEmpty(s);
    }
}
