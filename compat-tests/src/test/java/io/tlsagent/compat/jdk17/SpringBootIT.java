package io.tlsagent.compat.jdk17;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.AppModules;
import io.tlsagent.compat.AppScrapes;
import io.tlsagent.compat.Checks;
import io.tlsagent.compat.ForkedJavaAtLeast;
import io.tlsagent.compat.OutsidePeers;
import io.tlsagent.compat.apps.AppTls;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Spring Boot" section, done as a user does it: the Spring Boot application of compat-tests/apps
 * (starter-web with HTTPS on its embedded Tomcat, the actuator, micrometer-registry-prometheus, a common tag in
 * application.properties), built with Spring Boot 4.0 and 3.5, run as {@code java -javaagent:tls-agent.jar=metrics=app
 * -jar app.jar}. Handshakes from curl and openssl; {@code /actuator/prometheus} then has the agent's metrics, exactly
 * as many handshakes as JSON lines, with the application's tag, and the agent opens no port. One JVM per version.
 */
@Tag("jdk")
@ForkedJavaAtLeast(value = 17, what = "Spring Boot 3 and 4")
class SpringBootIT {

    /** Module, and the Micrometer its Spring Boot brings. */
    static final Map<String, String> VERSIONS = Map.of("spring-boot-4", "1.16.6", "spring-boot-3", "1.15.5");

    @TempDir
    static Path dir;
    static final Map<String, Run> RUNS = new LinkedHashMap<>();

    static final class Run {
        ForkedJvm jvm;
        int port;
        Scrape scrape;
        String openMetrics;
        Set<Integer> listening;
        Records records;
    }

    @BeforeAll
    static void run() throws Exception {
        for (String module : List.of("spring-boot-4", "spring-boot-3")) {
            RUNS.put(module, run(module));
        }
    }

    private static Run run(String module) throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(module));
        TestPki.createIn(runDir);
        Run r = new Run();
        r.port = ForkedJvm.freePort();
        r.jvm = ForkedJvm.jar(runDir, AppModules.jar(module)).agentArgs("metrics=app").keepLogsAs("SpringBootIT-"
                + module)
                .args("--server.port=" + r.port, "--server.address=127.0.0.1",
                        "--server.ssl.key-store=file:" + AppTls.keystore(runDir),
                        "--server.ssl.key-store-password=" + AppTls.PASSWORD,
                        "--server.ssl.key-alias=" + AppTls.ALIAS)
                .start();
        try {
            AppScrapes.awaitStdoutContaining(r.jvm, "Started BootApp");
            String base = "https://127.0.0.1:" + r.port;
            for (int i = 0; i < 3; i++) {
                assertThat(OutsidePeers.curl(base + "/")).isEqualTo("hello\n");
            }
            OutsidePeers.openssl(r.port, "-tls1_2");
            // Scrapes as Prometheus makes them: one kept-alive connection (whose handshake is then in the histogram).
            HttpClient scraper = HttpClient.newBuilder().sslContext(AppTls.clientContext(runDir))
                    .version(HttpClient.Version.HTTP_1_1).build();
            get(scraper, base + "/", "*/*");
            Thread.sleep(500);
            r.scrape = AppScrapes.awaitHistogram(() -> get(scraper, base + "/actuator/prometheus", "text/plain"), 5);
            r.openMetrics = get(scraper, base + "/actuator/prometheus",
                    "application/openmetrics-text; version=1.0.0");
            r.listening = AppScrapes.listeningPorts(r.jvm);
            AppScrapes.terminate(r.jvm);
            r.records = r.jvm.records();
            return r;
        } finally {
            r.jvm.close();
        }
    }

    private static String get(HttpClient client, String url, String accept) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    static Stream<String> versions() {
        return Stream.of("spring-boot-4", "spring-boot-3");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theMicrometerUnderTestIsTheOneThisSpringBootBrings(String module) throws Exception {
        assertThat(AppModules.jarNames(module)).contains("micrometer-core-" + VERSIONS.get(module) + ".jar ");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void actuatorHasExactlyTheHandshakesOfTheLog(String module) {
        Run r = RUNS.get(module);
        // curl 3, openssl 1, the scraper's connection 1: all server side.
        assertThat(r.records.size()).as(r.records.toString()).isEqualTo(5);
        assertThat(r.records.role("server").size()).isEqualTo(5);
        Checks.scrapeAgreesWithLog(r.scrape, r.records);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theHistogramAndTheApplicationsCommonTag(String module) throws Exception {
        Run r = RUNS.get(module);
        assertThat(r.scrape.named("tls_handshake_duration_seconds_bucket")).as(r.scrape.text)
                .anySatisfy(s -> assertThat(s.labels).containsEntry("le", "0.001"));
        AppScrapes.everyTlsSampleHas(r.scrape, "application", "tls-compat-boot");
        assertThat(r.scrape.named("tls_certificate_expiry_timestamp_seconds")).as("the server's own certificate")
                .anySatisfy(s -> assertThat(s.labels).containsEntry("presented_by", "local")
                        .containsEntry("subject", TestPki.SERVER_SUBJECT));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void promtoolPassesOnTheAgentsFamilies(String module) throws Exception {
        String families = AppScrapes.tlsFamilies(RUNS.get(module).scrape.text);
        assertThat(families).contains("tls_handshakes_total");
        OutsidePeers.promtool(families);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void tlsAgentInfoKeepsItsNameInBothFormats(String module) {
        Run r = RUNS.get(module);
        assertThat(r.scrape.named("tls_agent_info")).hasSize(1);
        // Micrometer 1.13+ makes a gauge named *.info an OpenMetrics info family; the sample keeps its name.
        assertThat(r.openMetrics).contains("# TYPE tls_agent info").containsPattern("(?m)^tls_agent_info\\{");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void theAgentOpensNoPortAndSaysOnlyThatItStarted(String module) {
        Run r = RUNS.get(module);
        assertThat(r.listening).as("only Tomcat's HTTPS port").containsExactly(r.port);
        List<String> said = AppScrapes.agentLines(r.jvm);
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).contains("started").contains("metrics in the application's Micrometer registries");
    }
}
