package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ClassPath;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics=app and metrics=both with an application that wires Micrometer 1.9 by hand
 * ({@code apps/micrometer-1.9}: {@code MicrometerApp}, on its own class path), and metrics=app with one that has no
 * Micrometer ({@code NoMicrometerApp}, the same module's class path without Micrometer). Handshakes come from curl
 * and openssl; scrapes of the application's own registries are compared with the agent's JSON lines.
 */
@Tag("jdk")
class AppMetricsIT {

    static final Path OTEL_JAR = Paths.get(System.getProperty("tlsagent.test.otel.jar",
            "target/otel/opentelemetry-javaagent.jar")).toAbsolutePath().normalize();
    private static final String MODULE = "micrometer-1.9";
    private static final String PLAIN_APP = "io.tlsagent.compat.micrometer.MicrometerApp";
    private static final String NO_MICROMETER_APP = "io.tlsagent.compat.micrometer.NoMicrometerApp";
    /** Three curl and one openssl TLS 1.2 handshake: four server-side records. */
    private static final int HANDSHAKES = 4;

    @TempDir
    static Path dir;
    static Run app;
    static Run none;
    static Run both;
    static Scrape attached;
    static String detached;

    /** One forked application: its scrapes while it ran, then its records and stderr once it exited. */
    static final class Run {
        ForkedJvm jvm;
        int httpsPort;
        Scrape appScrape;
        Scrape agentScrape;
        String denied;
        String webapp;
        String undeployed;
        Set<Integer> listening;
        Records records;
        List<String> said;
    }

    @BeforeAll
    static void run() throws Exception {
        app = run("metrics-app", PLAIN_APP, AppModules.classPath(MODULE), "metrics=app");
        String classes = AppModules.target(MODULE).resolve("classes").toString();
        none = run("no-micrometer", NO_MICROMETER_APP, AppModules.classPath(MODULE).only(classes::equals),
                "metrics=app");
        assertThat(OTEL_JAR).as("the build copies it there (maven-dependency-plugin)").isRegularFile();
        both = run("metrics-both-otel", PLAIN_APP, AppModules.classPath(MODULE), "metrics=both",
                "-javaagent:" + OTEL_JAR, "-Dotel.instrumentation.micrometer.enabled=true",
                "-Dotel.metrics.exporter=logging", "-Dotel.metric.export.interval=500",
                "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none");
    }

    /**
     * The agent attached to the running application (its Micrometer was initialised long before: found among the
     * loaded classes), then detached (its meters leave the application's registry).
     */
    @BeforeAll
    static void attachAndDetach() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("attach"));
        TestPki.createIn(runDir);
        ForkedJvm jvm = ForkedJvm.builder(runDir, PLAIN_APP).classPath(AppModules.classPath(MODULE)).withoutAgent()
                .jvmArgs("-XX:+EnableDynamicAgentLoading").keepLogsAs("AppMetricsIT-attach").args(runDir.toString())
                .start();
        try {
            jvm.awaitReady();
            String https = "https://127.0.0.1:" + jvm.value("HTTPS-PORT") + "/";
            String metrics = "http://127.0.0.1:" + jvm.value("HTTP-PORT") + "/metrics";
            OutsidePeers.curl(https); // before the agent: not counted
            agentCommand("attach", Long.toString(jvm.pid()), "metrics=app,log=off");
            for (int i = 0; i < 2; i++) {
                OutsidePeers.curl(https);
            }
            attached = AppScrapes.awaitHistogram(() -> ForkedJvm.get(metrics), 2);
            agentCommand("detach", Long.toString(jvm.pid()));
            detached = ForkedJvm.get(metrics);
            jvm.records(); // kept for a look
        } finally {
            jvm.close();
        }
    }

    private static void agentCommand(String... args) throws Exception {
        List<String> cmd = ForkedJvm.agentCommand(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    }

    private static Run run(String name, String main, ClassPath classPath, String metrics, String... beforeAgent)
            throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(name));
        TestPki.createIn(runDir);
        Run r = new Run();
        r.jvm = ForkedJvm.builder(runDir, main).classPath(classPath).beforeAgent(beforeAgent).agentArgs(metrics)
                .keepLogsAs("AppMetricsIT-" + name).args(runDir.toString()).start();
        try {
            r.jvm.awaitReady();
            r.httpsPort = Integer.parseInt(r.jvm.value("HTTPS-PORT"));
            String http = "http://127.0.0.1:" + r.jvm.value("HTTP-PORT") + "/";
            for (int i = 0; i < 3; i++) {
                assertThat(OutsidePeers.curl("https://127.0.0.1:" + r.httpsPort + "/")).isEqualTo("hello\n");
            }
            OutsidePeers.openssl(r.httpsPort, "-tls1_2");
            r.listening = AppScrapes.listeningPorts(r.jvm);
            if (main.equals(PLAIN_APP)) {
                r.appScrape = AppScrapes.awaitHistogram(() -> ForkedJvm.get(http + "metrics"), HANDSHAKES);
                r.denied = ForkedJvm.get(http + "denied");
                r.webapp = ForkedJvm.get(http + "webapp");
                r.undeployed = ForkedJvm.get(http + "undeploy");
                if (metrics.equals("metrics=both")) {
                    r.agentScrape = AppScrapes.awaitHistogram(() -> ForkedJvm.get("http://127.0.0.1:"
                            + r.jvm.metricsPort + "/metrics"), HANDSHAKES);
                    Thread.sleep(1500); // the OpenTelemetry agent exports every 500 ms
                }
            } else {
                awaitStderr(r.jvm, "has not loaded Micrometer");
            }
            assertThat(r.jvm.finish()).as("exit code; stderr: %s", r.jvm.stderr()).isZero();
            r.records = r.jvm.records();
            r.said = AppScrapes.agentLines(r.jvm);
            return r;
        } finally {
            r.jvm.close();
        }
    }

    private static void awaitStderr(ForkedJvm jvm, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && jvm.stderr().stream().noneMatch(l -> l.contains(text))) {
            Thread.sleep(200);
        }
    }

    @Test
    void theApplicationsRegistryHasExactCountsTheHistogramAndItsCommonTag() throws Exception {
        assertThat(app.records.size()).as(app.records.toString()).isEqualTo(HANDSHAKES);
        Checks.scrapeAgreesWithLog(app.appScrape, app.records);
        AppScrapes.everyTlsSampleHas(app.appScrape, "application", "plain-app");
        assertThat(app.appScrape.named("tls_handshake_duration_seconds_bucket")).as("the histogram's buckets")
                .anySatisfy(s -> assertThat(s.labels).containsEntry("le", "0.001"));
        assertThat(app.appScrape.named("tls_agent_info")).as("the name survives Micrometer's naming").hasSize(1);
        OutsidePeers.promtool(AppScrapes.tlsFamilies(app.appScrape.text));
    }

    @Test
    void noPortOfItsOwn() {
        assertThat(app.listening).as("the application's ports only (no agent endpoint on 9464 or elsewhere)")
                .containsExactlyInAnyOrder(app.httpsPort, Integer.parseInt(app.jvm.value("HTTP-PORT")));
        assertThat(app.said).hasSize(2);
        assertThat(app.said.get(0)).contains("started").contains("metrics in the application's Micrometer")
                .doesNotContain("metrics on http");
    }

    @Test
    void aRegistryWhoseFilterDeniesTlsMetersHasNoneAndTheAgentSaidSoOnce() {
        assertThat(new Scrape(app.denied).samples).noneMatch(s -> s.name.startsWith("tls_"));
        assertThat(app.said.get(1)).contains("MeterFilter of the application's PrometheusMeterRegistry")
                .contains("denies TLS meters");
    }

    @Test
    void aSecondCopyOfMicrometerGetsTheMetersAndIsCollectedAfterUndeploy() {
        Scrape webapp = new Scrape(app.webapp);
        AppScrapes.everyTlsSampleHas(webapp, "application", "webapp");
        assertThat(webapp.sum("tls_handshakes_total")).isEqualTo(HANDSHAKES);
        assertThat(app.undeployed).as("the web application's class loader, after undeploy and GC")
                .isEqualTo("collected=true\n");
    }

    @Test
    void withoutMicrometerTheAgentSaysSoOnceAndNothingElseChanges() {
        assertThat(none.records.size()).isEqualTo(HANDSHAKES);
        assertThat(none.said).hasSize(2);
        assertThat(none.said.get(0)).contains("started");
        assertThat(none.said.get(1)).contains("metrics=app: this application has not loaded Micrometer");
        assertThat(none.listening).containsExactlyInAnyOrder(none.httpsPort,
                Integer.parseInt(none.jvm.value("HTTP-PORT")));
    }

    @Test
    void withBothTheTwoScrapesAgreeExactly() {
        assertThat(both.records.size()).isEqualTo(HANDSHAKES);
        Checks.scrapeAgreesWithLog(both.agentScrape, both.records);
        Checks.scrapeAgreesWithLog(both.appScrape, both.records);
        assertThat(byLabels(both.appScrape)).isEqualTo(byLabels(both.agentScrape));
        assertThat(both.listening).contains(both.jvm.metricsPort);
    }

    @Test
    void theOpenTelemetryAgentsMicrometerBridgeGetsNoSecondCopy() {
        // Its logging exporter printed the application's own meter, so the bridge ran, and no tls.* meter.
        List<String> stderr = both.jvm.stderr();
        assertThat(stderr).as("the OpenTelemetry agent's logging exporter")
                .anyMatch(l -> l.contains("name=app.started"));
        assertThat(stderr).noneMatch(l -> l.contains("name=tls."));
        assertThat(both.said).anyMatch(l -> l.contains("not added to the OpenTelemetry agent's Micrometer bridge"));
        assertThat(both.appScrape.named("tls_handshakes_total")).as("each series once")
                .extracting(s -> s.labels.toString()).doesNotHaveDuplicates();
    }

    @Test
    void attachedLaterTheAgentFindsTheLoadedMicrometerAndDetachedItLeavesNothing() {
        assertThat(attached.sum("tls_handshakes_total")).as(attached.text).isEqualTo(2.0);
        assertThat(attached.sum("tls_handshake_duration_seconds_count")).isEqualTo(2.0);
        assertThat(new Scrape(detached).samples).noneMatch(s -> s.name.startsWith("tls_"));
        assertThat(new Scrape(detached).sum("app_started_total")).as("the application's own meter").isEqualTo(1.0);
    }

    private static TreeMap<String, Double> byLabels(Scrape scrape) {
        TreeMap<String, Double> m = new TreeMap<>();
        for (Scrape.Sample s : scrape.named("tls_handshakes_total")) {
            TreeMap<String, String> labels = new TreeMap<>(s.labels);
            labels.remove("application");
            m.merge(labels.toString(), s.value, Double::sum);
        }
        return m;
    }
}
