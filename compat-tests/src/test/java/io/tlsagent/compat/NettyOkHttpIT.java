package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.apps.NettyOkHttpApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Netty server on the JDK's SSLEngine with OkHttp 5 as the client, in one JVM with the agent
 * ({@link NettyOkHttpApp}), and {@code curl} as an outside client: the server's records name each client's real
 * address and port (its handler was made with {@code newHandler(alloc)}, no peer). Runs on every Java the agent
 * supports (11+).
 */
@Tag("jdk")
class NettyOkHttpIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static ForkedJvm jvm;
    /** The records of OkHttp's connections (curl's left out). */
    static Records records;
    static Records all;
    static Scrape scrape;
    static int port;
    static Connections.Curl curl;

    @BeforeAll
    static void run() throws Exception {
        pki = TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, NettyOkHttpApp.class).keepLogsAs("NettyOkHttpIT").args(dir.toString()).start();
        try {
            jvm.awaitReady();
            port = Integer.parseInt(jvm.value("PORT"));
            curl = Connections.curl(dir, "127.0.0.1", port, "/curl");
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            all = jvm.records();
            records = all.where(r -> !Integer.toString(curl.localPort).equals(Records.text(r, "client.port")));
        } finally {
            jvm.close();
        }
    }

    @Test
    void theClientGotWhatItAskedFor() {
        assertThat(ClientLine.of(jvm, "tls13")).hasSize(4).allSatisfy(l -> assertThat(l.protocol)
                .isEqualTo("TLSv1.3"));
        assertThat(ClientLine.of(jvm, "tls12")).hasSize(2).allSatisfy(l -> assertThat(l.protocol)
                .isEqualTo("TLSv1.2"));
        assertThat(ClientLine.of(jvm)).allSatisfy(l -> {
            assertThat(l.http).isEqualTo("http/1.1");
            assertThat(l.serverHttp).isEqualTo("HTTP/1.1");
            assertThat(l.line).endsWith(" alpn=http/1.1"); // what Netty's SslHandler says was negotiated
        });
    }

    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        // Each scenario: one pooled connection, evicted, then one new connection. Both sides.
        String all = records.toString();
        assertThat(records.size()).as(all).isEqualTo(8);
        assertThat(NettyOkHttpIT.all.size()).as(all).isEqualTo(9);
        for (String version : List.of("1.3", "1.2")) {
            assertThat(records.version(version).role("client").api("SSLSocket").size()).as(all).isEqualTo(2);
            assertThat(records.version(version).role("server").api("SSLEngine").size()).as(all).isEqualTo(2);
        }
    }

    @Test
    void everyRecordIsASuccessfulHandshakeWithTheTestCertificate() throws Exception {
        Checks.allSucceededWithTestCertificate(all, jvm.pid(), pki);
    }

    @Test
    void recordsSayWhatClientAndServerSaw() {
        Checks.recordsMatchWhatThePeersSaw(records.version("1.3"), ClientLine.of(jvm, "tls13"));
        Checks.recordsMatchWhatThePeersSaw(records.version("1.2"), ClientLine.of(jvm, "tls12"));
        // OkHttp offers h2 and http/1.1, the Netty server takes http/1.1: both records say so.
        assertThat(records.values("tls.next_protocol")).containsOnly("http/1.1");
        Records clients = records.role("client");
        assertThat(clients.values("server.address")).containsOnly("127.0.0.1");
        assertThat(clients.values("server.port")).containsOnly(Integer.toString(port));
    }

    @Test
    void theServerNamesItsClientsRealAddressAndPort() {
        Connections.serverRecordOf(all, curl);
        Connections.clientsPairWithServers(records.role("client"), records.role("server"));
        assertThat(records.role("server").values("server.port")).containsOnly(Integer.toString(port));
    }

    @Test
    void theNewConnectionResumes() {
        // JDK 11 has no RFC 5077 tickets: TLS 1.2 resumes by session ID there.
        String tls12 = jvm.value("JAVA").equals("11") ? "session_id" : "ticket";
        for (String role : List.of("client", "server")) {
            Records v13 = records.role(role).version("1.3").inTimeOrder();
            assertThat(v13.values("tls_agent.resumption")).as(role + " " + v13).containsExactly("none", "psk");
            Records v12 = records.role(role).version("1.2").inTimeOrder();
            assertThat(v12.values("tls_agent.resumption")).as(role + " " + v12).containsExactly("none", tls12);
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
