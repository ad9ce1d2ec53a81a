package io.tlsagent.compat.jdk17;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.compat.Checks;
import io.tlsagent.compat.ForkedJavaAtLeast;
import io.tlsagent.compat.ClientLine;
import io.tlsagent.compat.Connections;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded Tomcat 11 (HTTPS connectors on JSSE, NIO and NIO2) with Apache HttpClient 5 as the client, in one JVM
 * with the agent ({@link TomcatApp}), and {@code curl} as an outside client of each connector: every server record
 * names the client's real address and port and its own port. Tomcat 11 needs Java 17: skipped when the forked java
 * is older.
 */
@Tag("jdk")
@ForkedJavaAtLeast(value = 17, what = "Tomcat 11")
class TomcatIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static ForkedJvm jvm;
    /** The records of the program's own connections (curl's left out). */
    static Records records;
    static Records all;
    static Scrape scrape;
    static int port;
    static int nio2Port;
    static final List<Connections.Curl> CURLS = new ArrayList<>();

    @BeforeAll
    static void run() throws Exception {
        pki = TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, TomcatApp.class).keepLogsAs("TomcatIT").args(dir.toString()).start();
        try {
            jvm.awaitReady();
            port = Integer.parseInt(jvm.value("PORT"));
            nio2Port = Integer.parseInt(jvm.value("PORT_NIO2"));
            CURLS.add(Connections.curl(dir, "127.0.0.1", port, "/curl"));
            CURLS.add(Connections.curl(dir, "127.0.0.1", nio2Port, "/curl"));
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            all = jvm.records();
            records = all.where(r -> CURLS.stream().noneMatch(c -> Integer.toString(c.localPort)
                    .equals(Records.text(r, "client.port"))));
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
        assertThat(ClientLine.of(jvm, "nio2")).hasSize(2).allSatisfy(l -> assertThat(l.protocol)
                .isEqualTo("TLSv1.3"));
    }

    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        // Each scenario: one pooled connection, closed, then one new connection. Both sides.
        String text = TomcatIT.all.toString();
        assertThat(TomcatIT.all.size()).as(text).isEqualTo(12 + CURLS.size());
        Records nio = nio();
        for (String version : List.of("1.3", "1.2")) {
            assertThat(nio.version(version).role("client").api("SSLSocket").size()).as(text).isEqualTo(2);
            assertThat(nio.version(version).role("server").api("SSLEngine").size()).as(text).isEqualTo(2);
        }
        assertThat(nio2().role("client").api("SSLSocket").size()).as(text).isEqualTo(2);
        assertThat(nio2().role("server").api("SSLEngine").size()).as(text).isEqualTo(2);
        // HTTP/1.1 only: neither side offered or chose an application protocol.
        assertThat(records.values("tls.next_protocol")).containsOnlyNulls();
    }

    /** The program's records of the connections to the NIO connector, and to the NIO2 one. */
    private static Records nio() {
        return records.where("server.port", Integer.toString(port));
    }

    private static Records nio2() {
        return records.where("server.port", Integer.toString(nio2Port));
    }

    @Test
    void everyRecordIsASuccessfulHandshakeWithTheTestCertificate() throws Exception {
        Checks.allSucceededWithTestCertificate(all, jvm.pid(), pki);
    }

    @Test
    void bothConnectorsNameTheirClientsRealAddressAndPort() {
        Connections.serverRecordOf(all, CURLS.get(0));
        Connections.serverRecordOf(all, CURLS.get(1));
        Connections.clientsPairWithServers(records.role("client"), records.role("server"));
        assertThat(records.role("client").values("server.domain")).containsOnly("localhost");
    }

    @Test
    void recordsSayWhatClientAndServerSaw() {
        Checks.recordsMatchWhatThePeersSaw(nio().version("1.3"), ClientLine.of(jvm, "tls13"));
        Checks.recordsMatchWhatThePeersSaw(nio().version("1.2"), ClientLine.of(jvm, "tls12"));
        Checks.recordsMatchWhatThePeersSaw(nio2(), ClientLine.of(jvm, "nio2"));
        Records clients = records.role("client");
        assertThat(clients.values("server.address")).containsOnly("127.0.0.1");
        assertThat(clients.values("server.port")).containsOnly(Integer.toString(port), Integer.toString(nio2Port));
    }

    @Test
    void theNewConnectionResumes() {
        for (String role : List.of("client", "server")) {
            Records tls13 = nio().role(role).version("1.3").inTimeOrder();
            assertThat(tls13.values("tls_agent.resumption")).as(role + " " + tls13).containsExactly("none", "psk");
            Records onNio2 = nio2().role(role).inTimeOrder();
            assertThat(onNio2.values("tls_agent.resumption")).as(role + " " + onNio2).containsExactly("none", "psk");
            // TLS 1.2: JDK 13+ servers issue RFC 5077 tickets and JDK clients offer them.
            Records tls12 = nio().role(role).version("1.2").inTimeOrder();
            assertThat(tls12.values("tls_agent.resumption")).as(role + " " + tls12)
                    .containsExactly("none", "ticket");
            assertThat(tls12.inTimeOrder().values("tls.curve").get(1)).as("a TLS 1.2 resumption has no key exchange")
                    .isNull();
        }
    }

    @Test
    void scrapeAgreesWithTheLog() {
        Checks.scrapeAgreesWithLog(scrape, all);
    }

    @Test
    void agentStartedOnceAndStayedQuiet() {
        Checks.agentHealthy(jvm, scrape);
    }
}
