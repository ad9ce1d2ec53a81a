package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.tlsagent.compat.apps.OtelApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTLP push when the Collector is down, then refuses (HTTP 401), then takes the data: the application's calls
 * finish while nothing listens (the rounds end before the receiver exists), what could not be delivered is
 * counted exactly, a 401 is never retried and is said once, and delivery resumes, with the metrics' cumulative
 * counts making good what was missed. The application traces with its own OpenTelemetry SDK and no OpenTelemetry
 * agent: the agent reads its span through the application's API. One forked JVM, rounds driven over stdin.
 */
class OtlpDeliveryIT {

    @TempDir
    static Path dir;
    static ForkedJvm jvm;
    static OtlpReceiver receiver;
    static int port;
    static int afterDown;
    static int afterRefused;
    static Records records;
    static double droppedAfterRefused;
    static double droppedAtTheEnd;
    static List<String> refusedRequests;

    @BeforeAll
    static void run() throws Exception {
        TestPki.createIn(dir);
        port = ForkedJvm.freePort(); // nothing listens there yet
        jvm = ForkedJvm.builder(dir, OtelApp.class.getName()).args(dir.toString(), "own-sdk")
                .jvmArgs("-Dtlsagent.otlp_endpoint=http://127.0.0.1:" + port, "-Dtlsagent.otlp_interval=200ms",
                        "-Dtlsagent.otlp_resource_attributes=service.name=delivery-app")
                .env("OTEL_EXPORTER_OTLP_TIMEOUT", "5000")
                .keepLogsAs("OtlpDeliveryIT")
                .start();
        jvm.awaitReady();

        // Down: the calls finish, every record is dropped and counted, the metric pushes fail.
        jvm.send("round 4 0");
        jvm.awaitStdout("ROUND 1", 120);
        afterDown = settledLines();
        until(() -> dropped() == afterDown && failedMetricPushes() > 0);

        // Refused: 401, not retried, said once.
        receiver = OtlpReceiver.start(port, null);
        receiver.answer(401);
        jvm.send("round 2 0");
        jvm.awaitStdout("ROUND 2", 120);
        afterRefused = settledLines();
        until(() -> dropped() == afterRefused);
        droppedAfterRefused = dropped();
        refusedRequests = receiver.logRequests();

        // Up: delivered, and the cumulative counts catch up.
        receiver.answer(200);
        jvm.send("round 2 0");
        jvm.awaitStdout("ROUND 3", 120);
        settledLines();
        until(() -> receiver.logs("io.tlsagent").size() == lines() - afterRefused
                && lastHandshakeCount() == lines());
        droppedAtTheEnd = dropped();
        jvm.send("exit");
        assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
        records = jvm.records();
    }

    @AfterAll
    static void stop() {
        OtelChecks.closeAll(jvm, receiver);
    }

    static int lines() {
        try {
            return jvm.records().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The JSON log's lines once the agent has written every handshake it counted: the log is written on the agent's
     * own thread, so right after a round it may not have the round's last records yet.
     */
    static int settledLines() throws InterruptedException {
        until(() -> lines() == scrape().sum("tls_handshakes_total", l -> true));
        return lines();
    }

    static double dropped() {
        return scrape().sum("tls_agent_otlp_log_records_dropped_total", l -> true);
    }

    static double failedMetricPushes() {
        return scrape().sum("tls_agent_otlp_metric_exports_failed_total", l -> true);
    }

    static Scrape scrape() {
        try {
            return jvm.scrape();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** tls.handshakes in the newest metrics push: the sum over its label sets. */
    static long lastHandshakeCount() {
        List<Metric> pushes = receiver.metric("tls.handshakes");
        if (pushes.isEmpty()) {
            return -1;
        }
        return pushes.get(pushes.size() - 1).getSum().getDataPointsList().stream()
                .mapToLong(NumberDataPoint::getAsInt).sum();
    }

    static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s; stderr: %s", jvm.stderr()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void whileDownTheCallsFinishedAndEveryRecordWasDroppedAndCounted() {
        assertThat(afterDown).as("four calls, both sides").isEqualTo(8);
        assertThat(jvm.values("CALL").subList(0, 4)).allMatch(c -> c.endsWith(" ok"));
    }

    @Test
    void aRefusalIsNotRetriedAndIsSaidOnce() {
        assertThat(droppedAfterRefused).isEqualTo(afterRefused);
        assertThat(refusedRequests).as("requests refused with 401").isNotEmpty()
                .as("each a new batch: a retry would send the same body again").doesNotHaveDuplicates();
        assertThat(jvm.stderr().stream().filter(l -> l.contains("HTTP 401") && l.contains("log records")).collect(Collectors.toList()))
                .singleElement().asString().contains("not retried").contains("otlp_headers");
    }

    @Test
    void deliveryResumesAndTheCumulativeCountsCatchUp() {
        assertThat(receiver.logs("io.tlsagent")).hasSize(records.size() - afterRefused);
        assertThat(lastHandshakeCount()).as("the counts include the handshakes whose records were dropped")
                .isEqualTo(records.size());
        assertThat(droppedAtTheEnd).as("nothing dropped once the receiver took the data")
                .isEqualTo(droppedAfterRefused);
        assertThat(receiver.logs("io.tlsagent").get(0).resource).containsEntry("service.name", "delivery-app");
    }

    @Test
    void eachKindOfProblemWasSaidOnce() {
        List<String> said = jvm.stderr().stream().filter(l -> l.startsWith("[tls-agent]"))
                .collect(Collectors.toList());
        assertThat(said).as("started, then one line per kind of problem and signal").doesNotHaveDuplicates()
                .allMatch(l -> l.contains(" started") || l.contains("cannot connect") || l.contains("HTTP 401")
                        || l.contains("no answer within the timeout"));
        assertThat(said).anyMatch(l -> l.contains("cannot connect"));
        assertThat(jvm.stderr()).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
    }

    @Test
    void theApplicationsOwnSpanIsReadWithoutTheOpenTelemetryAgent() {
        for (String call : jvm.values("CALL")) {
            String[] c = call.split(" ");
            assertThat(records.where("trace.id", c[2]).role("client"))
                    .as(c[0] + " call " + c[1]).singleElement()
                    .satisfies(r -> assertThat(text(r, "span.id")).isEqualTo(c[3]));
        }
    }
}
