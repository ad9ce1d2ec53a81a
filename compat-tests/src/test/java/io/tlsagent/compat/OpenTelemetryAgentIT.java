package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenTelemetry Java agent in the same JVM as ours, loaded before it ({@code otel-first}) and after it
 * ({@code otel-after}), with its exporters off, around {@link io.tlsagent.compat.apps.CoexistenceApp}: both agents
 * start, the OpenTelemetry agent instruments the application's HTTP client (the server sees the
 * {@code traceparent} header it adds), the application works, and ours records exactly its handshakes.
 */
@Tag("jdk")
class OpenTelemetryAgentIT {

    /** The OpenTelemetry Java agent, copied there by the build (never on a class path). */
    static final Path OTEL_JAR = Paths.get(System.getProperty("tlsagent.test.otel.jar",
            "target/otel/opentelemetry-javaagent.jar")).toAbsolutePath().normalize();
    static final String[] OTEL_OPTIONS = {"-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
        "-Dotel.logs.exporter=none"};

    @TempDir
    static Path dir;
    static final Map<String, CoexistenceRun> RUNS = new LinkedHashMap<>();

    @BeforeAll
    static void run() throws Exception {
        assertThat(OTEL_JAR).as("the build copies it there (maven-dependency-plugin)").isRegularFile();
        String otel = "-javaagent:" + OTEL_JAR;
        RUNS.put("otel-first", CoexistenceRun.run(dir, "OpenTelemetryAgentIT-otel-first",
                b -> b.beforeAgent(otel).jvmArgs(OTEL_OPTIONS)));
        RUNS.put("otel-after", CoexistenceRun.run(dir, "OpenTelemetryAgentIT-otel-after",
                b -> b.jvmArgs(otel).jvmArgs(OTEL_OPTIONS)));
    }

    static Stream<String> orders() {
        return Stream.of("otel-first", "otel-after");
    }

    @ParameterizedTest
    @MethodSource("orders")
    void theOpenTelemetryAgentStarted(String order) {
        assertThat(RUNS.get(order).jvm.stderr()).anyMatch(l -> l.contains("opentelemetry-javaagent - version: "
                + System.getProperty("tlsagent.test.otel.version", "")));
    }

    @ParameterizedTest
    @MethodSource("orders")
    void ourAgentStartedOnceAndStayedQuiet(String order) {
        Checks.agentHealthy(RUNS.get(order).jvm, RUNS.get(order).scrape);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void theOpenTelemetryAgentInstrumentedTheApplication(String order) {
        // W3C trace context: version 00, trace id, parent span id, flags (sampled).
        assertThat(RUNS.get(order).jvm.values("TRACEPARENT")).hasSize(2)
                .allMatch(t -> t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"));
    }

    @ParameterizedTest
    @MethodSource("orders")
    void theApplicationWorks(String order) {
        RUNS.get(order).theApplicationsOwnLibrariesWork();
        RUNS.get(order).theTwoRegistriesAreSeparateAndBothWork();
    }

    @ParameterizedTest
    @MethodSource("orders")
    void ourAgentRecordedExactlyTheApplicationsHandshakes(String order) throws Exception {
        RUNS.get(order).exactlyTheApplicationsHandshakes();
    }
}
