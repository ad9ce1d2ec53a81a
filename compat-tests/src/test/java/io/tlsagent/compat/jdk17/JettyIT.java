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
 * Jetty 12 (HTTPS, HTTP/2 and HTTP/1.1 over ALPN) with the JDK's HttpClient, HttpsURLConnection and Jetty's own
 * client, all in one JVM with the agent ({@link JettyApp}), and {@code curl} as an outside client: both records of
 * each connection name its real ends, and the server names curl's. Jetty 12 needs Java 17: skipped when the forked
 * java is older.
 */
@Tag("jdk")
@ForkedJavaAtLeast(value = 17, what = "Jetty 12")
class JettyIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static ForkedJvm jvm;
    /** The records of the JDK clients' connections (Jetty's client and curl left out). */
    static Records records;
    static Records jettyClient;
    static Records all;
    static Scrape scrape;
    static int port;
    static Connections.Curl curl;

    @BeforeAll
    static void run() throws Exception {
        pki = TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, JettyApp.class).keepLogsAs("JettyIT").args(dir.toString()).start();
        try {
            jvm.awaitReady();
            port = Integer.parseInt(jvm.value("PORT"));
            curl = Connections.curl(dir, "127.0.0.1", port, "/curl", "--http2");
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            all = jvm.records();
            // Jetty's client is the one client on an engine without ALPN; its connection's server record has its port.
            List<String> jettyPorts = all.role("client").api("SSLEngine").alpn(null).values("client.port");
            jettyClient = all.where(r -> jettyPorts.contains(Records.text(r, "client.port")));
            records = all.where(r -> !jettyPorts.contains(Records.text(r, "client.port"))
                    && !Integer.toString(curl.localPort).equals(Records.text(r, "client.port")));
        } finally {
            jvm.close();
        }
    }

    @Test
    void theClientsGotWhatTheyAskedFor() {
        assertThat(ClientLine.of(jvm, "h2-first")).hasSize(3);
        assertThat(ClientLine.of(jvm, "h2-second")).hasSize(1);
        assertThat(ClientLine.of(jvm, "urlconnection")).hasSize(2);
        for (ClientLine l : ClientLine.of(jvm)) {
            boolean h2 = l.scenario.startsWith("h2-");
            assertThat(l.http).as(l.line).isEqualTo(h2 ? "HTTP_2" : "HTTP/1.1");
            assertThat(l.serverHttp).as(l.line).isEqualTo(h2 ? "HTTP/2.0" : "HTTP/1.1");
            assertThat(l.protocol).as(l.line).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        // h2-first: 1 connection for its 3 requests; h2-second: 1; urlconnection: 2 (keep-alive off). Both sides.
        String all = records.toString();
        assertThat(records.size()).as(all).isEqualTo(8);
        assertThat(records.role("client").api("SSLEngine").alpn("h2").size()).as(all).isEqualTo(2);
        assertThat(records.role("server").api("SSLEngine").alpn("h2").size()).as(all).isEqualTo(2);
        assertThat(records.role("client").api("SSLSocket").alpn(null).size()).as(all).isEqualTo(2);
        assertThat(records.role("server").api("SSLEngine").alpn(null).size()).as(all).isEqualTo(2);
    }

    @Test
    void everyRecordIsASuccessfulHandshakeWithTheTestCertificate() throws Exception {
        Checks.allSucceededWithTestCertificate(all, jvm.pid(), pki);
    }

    @Test
    void jettysClientAndServerAgreeOnTheirConnection() {
        assertThat(jvm.values("JETTY_CLIENT")).hasSize(2);
        assertThat(jettyClient.size()).as(all.toString()).isEqualTo(2);
        Connections.clientsPairWithServers(jettyClient.role("client"), jettyClient.role("server"));
        assertThat(jettyClient.role("client").values("server.domain")).containsOnly("localhost");
        assertThat(jettyClient.role("client").values("server.port")).containsOnly(Integer.toString(port));
    }

    @Test
    void theServerNamesCurlsRealAddressAndPort() {
        assertThat(Records.text(Connections.serverRecordOf(all, curl), "tls.next_protocol")).isEqualTo("h2");
    }

    @Test
    void http2OverAlpnIsH2OnBothSides() {
        Records h2 = records.alpn("h2");
        List<ClientLine> lines = new ArrayList<>(ClientLine.of(jvm, "h2-first"));
        lines.addAll(ClientLine.of(jvm, "h2-second"));
        // The JDK HttpClient names the host in SNI (SSLParameters), so both ends know "localhost".
        assertThat(lines.get(0).serverSni).isEqualTo("localhost");
        Checks.recordsMatchWhatThePeersSaw(h2, lines);
        // An engine knows the peer the application named: the client's is the server Jetty listens on, Jetty
        // names the real client address.
        assertThat(h2.role("client").values("server.address")).containsOnly("127.0.0.1");
        assertThat(h2.role("client").values("server.domain")).containsOnly("localhost");
        assertThat(h2.role("client").values("server.port")).containsOnly(Integer.toString(port));
        assertThat(h2.role("server").values("client.address")).containsOnly("127.0.0.1");
        Connections.clientsPairWithServers(h2.role("client"), h2.role("server"));
    }

    @Test
    void httpsUrlConnectionIsHttp11WithoutAlpnOrSni() {
        Records h1 = records.alpn(null);
        List<ClientLine> lines = ClientLine.of(jvm, "urlconnection");
        // The JDK sends no SNI for a host name without a dot ("localhost") unless the application sets one.
        assertThat(lines.get(0).serverSni).isNull();
        Checks.recordsMatchWhatThePeersSaw(h1, lines);
        Records clients = h1.role("client");
        assertThat(clients.values("server.address")).containsOnly("127.0.0.1");
        assertThat(clients.values("server.port")).containsOnly(Integer.toString(port));
        Checks.socketClientsPairWithServers(clients, h1.role("server"));
    }

    @Test
    void secondConnectionsResumeWithPsk() {
        // The second HttpClient shares the first one's SSLContext, HttpsURLConnection reuses its own: each
        // second connection resumes the session of the first (TLS 1.3 PSK), on both sides.
        for (String role : List.of("client", "server")) {
            for (String alpn : new String[] {"h2", null}) {
                Records rs = records.role(role).alpn(alpn).inTimeOrder();
                assertThat(rs.values("tls.resumed")).as(role + " " + rs).containsExactly("false", "true");
                assertThat(rs.values("tls_agent.resumption")).as(role + " " + rs).containsExactly("none", "psk");
            }
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
