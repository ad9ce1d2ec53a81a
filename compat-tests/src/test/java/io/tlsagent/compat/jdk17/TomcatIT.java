package io.tlsagent.compat.jdk17;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.compat.Checks;
import io.tlsagent.compat.ForkedJavaAtLeast;
import io.tlsagent.compat.ClientLine;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded Tomcat 11 (HTTPS connector on JSSE) with Apache HttpClient 5 as the client, in one JVM with the agent
 * ({@link TomcatApp}). Tomcat 11 needs Java 17: skipped when the forked java is older.
 */
@ForkedJavaAtLeast(value = 17, what = "Tomcat 11")
class TomcatIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static ForkedJvm jvm;
    static Records records;
    static Scrape scrape;
    static int port;

    @BeforeAll
    static void run() throws Exception {
        pki = TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, TomcatApp.class).keepLogsAs("TomcatIT").args(dir.toString()).start();
        try {
            jvm.awaitReady();
            port = Integer.parseInt(jvm.value("PORT"));
            scrape = jvm.scrape();
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            records = jvm.records();
        } finally {
            jvm.close();
        }
    }

    @Test
    void theClientGotWhatItAskedFor() {
        assertThat(ClientLine.of(jvm, "tls13")).hasSize(4).allSatisfy(l -> {
            assertThat(l.protocol).isEqualTo("TLSv1.3");
            assertThat(l.http).isEqualTo("HTTP/1.1");
            assertThat(l.serverHttp).isEqualTo("HTTP/1.1");
        });
        assertThat(ClientLine.of(jvm, "tls12")).hasSize(2).allSatisfy(l -> {
            assertThat(l.protocol).isEqualTo("TLSv1.2");
            assertThat(l.serverHttp).isEqualTo("HTTP/1.1");
        });
    }

    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        // Each scenario: one pooled connection, closed, then one new connection. Both sides.
        String all = records.toString();
        assertThat(records.size()).as(all).isEqualTo(8);
        for (String version : List.of("1.3", "1.2")) {
            assertThat(records.version(version).role("client").api("SSLSocket").size()).as(all).isEqualTo(2);
            assertThat(records.version(version).role("server").api("SSLEngine").size()).as(all).isEqualTo(2);
        }
        // HTTP/1.1 only: neither side offered or chose an application protocol.
        assertThat(records.values("tls.next_protocol")).containsOnlyNulls();
    }

    @Test
    void everyRecordIsASuccessfulHandshakeWithTheTestCertificate() throws Exception {
        Checks.allSucceededWithTestCertificate(records, jvm.pid(), pki);
    }

    @Test
    void recordsSayWhatClientAndServerSaw() {
        Checks.recordsMatchWhatThePeersSaw(records.version("1.3"), ClientLine.of(jvm, "tls13"));
        Checks.recordsMatchWhatThePeersSaw(records.version("1.2"), ClientLine.of(jvm, "tls12"));
        Records clients = records.role("client");
        assertThat(clients.values("server.address")).containsOnly("127.0.0.1");
        assertThat(clients.values("server.port")).containsOnly(Integer.toString(port));
    }

    @Test
    void theNewConnectionResumes() {
        for (String role : List.of("client", "server")) {
            Records tls13 = records.role(role).version("1.3").inTimeOrder();
            assertThat(tls13.values("tls_agent.resumption")).as(role + " " + tls13).containsExactly("none", "psk");
            // TLS 1.2: JDK 13+ servers issue RFC 5077 tickets and JDK clients offer them.
            Records tls12 = records.role(role).version("1.2").inTimeOrder();
            assertThat(tls12.values("tls_agent.resumption")).as(role + " " + tls12)
                    .containsExactly("none", "ticket");
            assertThat(tls12.inTimeOrder().values("tls.curve").get(1)).as("a TLS 1.2 resumption has no key exchange")
                    .isNull();
        }
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
