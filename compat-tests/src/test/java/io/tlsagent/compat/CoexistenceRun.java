package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.apps.CoexistenceApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One run of {@link CoexistenceApp} with the agent (and whatever else the test puts on the command line), and the
 * checks every such run must pass: the application's own libraries and registry work, the agent recorded exactly
 * the application's two connections on both sides, and its scrape agrees with its log.
 */
final class CoexistenceRun {

    final String name;
    final TestPki pki;
    final ForkedJvm jvm;
    final Records records;
    final Scrape scrape;
    final Scrape appScrape;

    private CoexistenceRun(String name, TestPki pki, ForkedJvm jvm, Records records, Scrape scrape,
            Scrape appScrape) {
        this.name = name;
        this.pki = pki;
        this.jvm = jvm;
        this.records = records;
        this.scrape = scrape;
        this.appScrape = appScrape;
    }

    static CoexistenceRun run(Path parent, String name, UnaryOperator<ForkedJvm.Builder> options) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        TestPki pki = TestPki.createIn(dir);
        ForkedJvm jvm = options.apply(ForkedJvm.builder(dir, CoexistenceApp.class).keepLogsAs(name)
                .args(dir.toString())).start();
        try {
            jvm.awaitReady();
            Scrape scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            Scrape appScrape = new Scrape(ForkedJvm.get("http://127.0.0.1:" + jvm.value("APP-METRICS-PORT")
                    + "/metrics"));
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            return new CoexistenceRun(name, pki, jvm, jvm.records(), scrape, appScrape);
        } finally {
            jvm.close();
        }
    }

    /** The application got its own Jackson, Byte Buddy and Micrometer, and they worked. */
    void theApplicationsOwnLibrariesWork() {
        String jackson = System.getProperty("tlsagent.test.app.jackson", "2.17.2");
        assertThat(jvm.value("JACKSON")).isEqualTo(jackson + " jackson-databind-" + jackson + ".jar jackson-core-"
                + jackson + ".jar");
        assertThat(jvm.value("BYTEBUDDY")).isEqualTo("made-by-byte-buddy byte-buddy-"
                + System.getProperty("tlsagent.test.app.bytebuddy", "1.14.18") + ".jar");
        assertThat(jvm.value("MICROMETER")).isEqualTo("micrometer-registry-prometheus-"
                + System.getProperty("tlsagent.test.app.micrometer", "1.12.13") + ".jar");
        // The JSON the server wrote with the application's Jackson, read back by the client with it.
        assertThat(ClientLine.of(jvm, "urlconnection")).hasSize(2).allSatisfy(l -> {
            assertThat(l.server).isEqualTo("jdk-httpsserver");
            assertThat(l.serverHttp).isEqualTo("HTTP/1.1");
        });
    }

    /** Each registry has its own meters: the application's scrape has no tls_*, the agent's no app_*. */
    void theTwoRegistriesAreSeparateAndBothWork() {
        assertThat(appScrape.sum("app_requests_total", l -> "coexistence".equals(l.get("app"))))
                .as(appScrape.text).isEqualTo(2.0);
        assertThat(appScrape.has("jvm_classes_loaded_classes")).as(appScrape.text).isTrue();
        assertThat(appScrape.samples).noneMatch(s -> s.name.startsWith("tls_"));
        assertThat(scrape.samples).noneMatch(s -> s.name.startsWith("app_") || s.name.startsWith("jvm_"));
    }

    /** Two connections (keep-alive off), each recorded once on each side; the second resumes. */
    void exactlyTheApplicationsHandshakes() throws Exception {
        String all = records.toString();
        assertThat(records.size()).as(all).isEqualTo(4);
        Records clients = records.role("client");
        Records servers = records.role("server");
        assertThat(clients.api("SSLSocket").size()).as(all).isEqualTo(2);
        assertThat(servers.api("SSLEngine").size()).as(all).isEqualTo(2);
        Checks.allSucceededWithTestCertificate(records, jvm.pid(), pki);
        Checks.recordsMatchWhatThePeersSaw(records, ClientLine.of(jvm, "urlconnection"));
        assertThat(clients.values("server.port")).containsOnly(jvm.value("PORT"));
        for (Records side : List.of(clients, servers)) {
            assertThat(side.inTimeOrder().values("tls_agent.resumption")).as(all).containsExactly("none",
                    "TLSv1.3".equals(ClientLine.of(jvm).get(0).protocol) ? "psk" : "ticket");
        }
        Checks.scrapeAgreesWithLog(scrape, records);
    }
}
