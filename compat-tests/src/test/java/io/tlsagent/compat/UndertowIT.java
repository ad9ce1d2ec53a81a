package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.apps.UndertowApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Undertow (2.3, XNIO) serving HTTPS with {@code curl} as an outside client and the JDK's
 * {@code HttpClient} in the same JVM ({@link UndertowApp}): the server's records name the client's real
 * address and port and the server's own port, and agree with the client's record. Runs on Java 11+.
 */
@Tag("jdk")
class UndertowIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static ForkedJvm jvm;
    static Records records;
    static Scrape scrape;
    static int port;
    static Connections.Curl curl;

    @BeforeAll
    static void run() throws Exception {
        pki = TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, UndertowApp.class).keepLogsAs("UndertowIT").args(dir.toString()).start();
        try {
            jvm.awaitReady();
            port = Integer.parseInt(jvm.value("PORT"));
            curl = Connections.curl(dir, "127.0.0.1", port, "/curl");
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            records = jvm.records();
        } finally {
            jvm.close();
        }
    }

    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        // httpclient: one kept-alive connection, both sides; curl: the server's side.
        assertThat(ClientLine.of(jvm, "httpclient")).hasSize(2);
        assertThat(records.role("client").api("SSLEngine").size()).as(records.toString()).isEqualTo(1);
        assertThat(records.role("server").api("SSLEngine").size()).as(records.toString()).isEqualTo(2);
        assertThat(records.size()).isEqualTo(3);
    }

    @Test
    void everyRecordIsASuccessfulHandshakeWithTheTestCertificate() throws Exception {
        Checks.allSucceededWithTestCertificate(records, jvm.pid(), pki);
    }

    @Test
    void theServerNamesItsClientsRealAddressAndPortAndItsOwnPort() {
        assertThat(text(Connections.serverRecordOf(records, curl), "server.port")).isEqualTo(Integer.toString(port));
        Connections.clientsPairWithServers(records.role("client"), records.role("server"));
        assertThat(records.role("server").values("server.ip")).containsOnly("127.0.0.1");
        assertThat(records.role("client").values("server.domain")).containsOnly("localhost");
    }

    @Test
    void recordsSayWhatClientAndServerSaw() {
        Checks.recordsMatchWhatThePeersSaw(records.where(r -> !Integer.toString(curl.localPort)
                .equals(text(r, "client.port"))), ClientLine.of(jvm, "httpclient"));
    }

    @Test
    void scrapeAgreesWithTheLog() {
        Checks.scrapeAgreesWithLog(scrape, records);
    }

    @Test
    void agentStartedOnceAndStayedQuiet() {
        Checks.agentHealthy(jvm, scrape);
    }
}
