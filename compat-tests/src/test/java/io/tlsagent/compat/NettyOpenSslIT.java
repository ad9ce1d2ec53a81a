package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.compat.EngineChecks.Pair;
import io.tlsagent.compat.EngineChecks.Side;
import io.tlsagent.compat.apps.NettyOpenSslApp;
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
 * Netty's OpenSSL engine (netty-tcnative BoringSSL) on both ends, and the JDK's SSLSocket as a client of the same
 * server, in one JVM with the agent ({@link NettyOpenSslApp}). The agent sees the OpenSSL engine only through the
 * public SSLEngine API: provider {@code Netty-OpenSSL}; the JDK client through SunJSSE's hooks. Runs on every Java
 * the agent supports (11+).
 */
@Tag("jdk")
class NettyOpenSslIT {

    static final Side OPENSSL = new Side("Netty-OpenSSL", "SSLEngine");
    static final Side JDK_SOCKET = new Side("SunJSSE", "SSLSocket");

    @TempDir
    static Path dir;
    static TestPki pki;
    static ForkedJvm jvm;
    static Records records;
    static Scrape scrape;
    static List<HandshakeLine> lines;

    @BeforeAll
    static void run() throws Exception {
        pki = TestPki.createIn(dir);
        jvm = ForkedJvm.builder(dir, NettyOpenSslApp.class).keepLogsAs("NettyOpenSslIT")
                .jvmArgs(EngineChecks.nativeAccess()).args(dir.toString()).start();
        try {
            jvm.awaitReady();
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            records = jvm.records();
            lines = HandshakeLine.of(jvm);
        } finally {
            jvm.close();
        }
    }

    static Side side(Pair p) {
        return p.role().equals("client") && p.scenario.startsWith("jdk") ? JDK_SOCKET : OPENSSL;
    }

    @Test
    void theProgramDidWhatItPlanned() {
        assertThat(jvm.value("CONNECTIONS")).isEqualTo("10");
        assertThat(jvm.value("SERVER_HANDSHAKES")).as("each connection's server side reported").isEqualTo("10");
        assertThat(lines).hasSize(20);
        for (String scenario : List.of("openssl13", "openssl12", "jdk13", "jdk12")) {
            String protocol = scenario.endsWith("13") ? "TLSv1.3" : "TLSv1.2";
            for (String role : List.of("client", "server")) {
                assertThat(EngineChecks.lines(lines, scenario, role)).as(scenario + " " + role).hasSize(2)
                        .allSatisfy(l -> {
                            assertThat(l.ok).isTrue();
                            assertThat(l.protocol).isEqualTo(protocol);
                            assertThat(l.alpn).isEqualTo("http/1.1");
                        });
            }
            // BoringSSL's own word on the server: the second connection resumed
            assertThat(EngineChecks.lines(lines, scenario, "server").stream().map(l -> l.reused)).as(scenario)
                    .containsExactly("false", "true");
        }
        for (String scenario : List.of("untrusted", "version")) {
            for (String role : List.of("client", "server")) {
                assertThat(EngineChecks.lines(lines, scenario, role)).as(scenario + " " + role).hasSize(1)
                        .allSatisfy(l -> assertThat(l.ok).as(l.toString()).isFalse());
            }
        }
    }

    @Test
    void exactlyOneRecordPerHandshakeAndSide() {
        List<Pair> pairs = EngineChecks.pair(records, lines);
        assertThat(pairs).hasSize(20);
        assertThat(records.size()).as(records.toString()).isEqualTo(20);
        assertThat(records.where("tls_agent.provider", "Netty-OpenSSL").size()).as(records.toString())
                .isEqualTo(16);
        assertThat(records.where("tls_agent.provider", "SunJSSE").size()).as(records.toString()).isEqualTo(4);
    }

    @Test
    void everyRecordSaysWhatItsLibrarySaw() throws Exception {
        for (Pair p : EngineChecks.pair(records, lines)) {
            EngineChecks.recordSaysWhatTheLibrarySaw(p, side(p), jvm.pid(), pki);
        }
    }

    @Test
    void everyRecordNamesItsConnectionsRealEnds() {
        int port = Integer.parseInt(jvm.value("PORT"));
        int tls13only = Integer.parseInt(jvm.value("PORT_TLS13ONLY"));
        for (Pair p : EngineChecks.pair(records, lines)) {
            String serverPort = Integer.toString(p.scenario.equals("version") ? tls13only : port);
            if (side(p) == JDK_SOCKET) {
                EngineChecks.socketRecordHasTheClientPort(p);
            } else {
                // Netty's SslHandler knows its channel: the server's engines were made without the client's address,
                // the clients' (pipelines set up before the connect) with the server's name only
                assertThat(p.text("client.port")).as(p.toString()).isEqualTo(p.line.key);
                assertThat(p.text("client.ip")).as(p.toString()).isEqualTo("127.0.0.1");
            }
            assertThat(p.text("server.ip")).as(p.toString()).isEqualTo("127.0.0.1");
            assertThat(p.text("server.port")).as(p.toString()).isEqualTo(serverPort);
            assertThat(p.text("server.domain")).as(p.toString())
                    .isEqualTo(p.role().equals("client") ? "localhost" : null);
        }
        Connections.clientsPairWithServers(records.role("client"), records.role("server"));
    }

    @Test
    void openSslResumptionIsWhatBoringSslSaid() {
        for (Pair p : EngineChecks.pair(records, lines)) {
            if (side(p) != OPENSSL || !p.line.ok) {
                continue;
            }
            boolean reused = Boolean.parseBoolean(p.line.reused);
            assertThat(p.text("tls.resumed")).as("tls.resumed, from isSessionReused(); " + p)
                    .isEqualTo(p.line.reused);
            String expected = !reused ? "none" : p.line.protocol.equals("TLSv1.3") ? "psk" : null;
            assertThat(p.text("tls_agent.resumption"))
                    .as("TLS 1.3 resumes by PSK; for 1.2 the API cannot tell ticket from session ID; " + p)
                    .isEqualTo(expected);
        }
    }

    @Test
    void sunJsseAndOpenSslSeeTheSameConnectionTheSameWay() {
        // JDK 11 has no RFC 5077 tickets: TLS 1.2 resumes by session ID there.
        String tls12 = jvm.value("JAVA").equals("11") ? "session_id" : "ticket";
        List<Pair> pairs = EngineChecks.pair(records, lines);
        for (String scenario : List.of("jdk13", "jdk12")) {
            List<Pair> clients = EngineChecks.of(pairs, scenario, "client");
            List<Pair> servers = EngineChecks.of(pairs, scenario, "server");
            assertThat(clients.stream().map(p -> p.text("tls_agent.resumption"))).as(scenario + " " + clients)
                    .containsExactly("none", scenario.equals("jdk13") ? "psk" : tls12);
            for (Pair c : clients) {
                Pair s = servers.stream().filter(p -> p.line.key.equals(c.line.key)).findFirst().orElseThrow();
                assertThat(c.text("tls.resumed")).as("SunJSSE client vs what BoringSSL said on the server: " + c)
                        .isEqualTo(s.line.reused);
                assertThat(s.text("tls.resumed")).as("the OpenSSL server's record of the same connection: " + s)
                        .isEqualTo(c.text("tls.resumed"));
                assertThat(s.text("tls.version")).isEqualTo(c.text("tls.version"));
                assertThat(s.text("tls.cipher")).isEqualTo(c.text("tls.cipher"));
            }
        }
    }

    @Test
    void failuresAreReportedOnceWithAnErrorType() {
        List<Pair> pairs = EngineChecks.pair(records, lines);
        // the client's trust manager threw (PKIX path building): the exception chain says so
        assertThat(EngineChecks.of(pairs, "untrusted", "client").get(0).text("error.type"))
                .isEqualTo("certificate_untrusted");
        // Through the public API an OpenSSL engine shows only BoringSSL's message ("...SSLV3_ALERT_BAD_CERTIFICATE",
        // "...TLSV1_ALERT_PROTOCOL_VERSION", "...UNSUPPORTED_PROTOCOL"), no alert: the README says the agent reads
        // no alert for these engines, so "other" is what it documents; the precise type would be better.
        assertThat(EngineChecks.of(pairs, "untrusted", "server").get(0).text("error.type"))
                .isIn("bad_certificate", "other");
        for (String role : List.of("client", "server")) {
            assertThat(EngineChecks.of(pairs, "version", role).get(0).text("error.type")).as(role)
                    .isIn("protocol_version", "other");
        }
    }

    @Test
    void scrapeAgreesWithTheLog() {
        EngineChecks.scrapeAgreesWithLog(scrape, records);
        assertThat(EngineChecks.scraped(scrape, "Netty-OpenSSL")).isEqualTo(16);
        assertThat(EngineChecks.scraped(scrape, "SunJSSE")).isEqualTo(4);
    }

    @Test
    void agentStartedOnceAndStayedQuiet() {
        Checks.agentHealthy(jvm, scrape);
    }

    @Test
    void stderrHasOnlyTheAgentsStartLine() {
        EngineChecks.stderrIsOnlyTheStartLine(jvm);
    }
}
