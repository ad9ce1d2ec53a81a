package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.compat.EngineChecks.Pair;
import io.tlsagent.compat.EngineChecks.Side;
import io.tlsagent.compat.apps.ConscryptApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conscrypt's SSLEngine on both ends in memory, and Conscrypt's SSLSocket as a client of a JDK server, in one JVM
 * with the agent ({@link ConscryptApp}). The agent sees Conscrypt only through the public JSSE API: provider
 * {@code Conscrypt}; Conscrypt has no public API for resumption, so its records leave it out, while the JDK server's
 * records of the same connections say how they resumed. Runs on every Java the agent supports (11+).
 */
@Tag("jdk")
class ConscryptIT {

    static final Side ENGINE = new Side("Conscrypt", "SSLEngine");
    static final Side SOCKET = new Side("Conscrypt", "SSLSocket");
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
        // Every line with the whole anatomy: these tests read each handshake's offered groups (a summary line only
        // names its ClientHello's kind).
        jvm = ForkedJvm.builder(dir, ConscryptApp.class).keepLogsAs("ConscryptIT").agentArgs("log_detail=full")
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
        if (!p.scenario.startsWith("socket")) {
            return ENGINE;
        }
        return p.role().equals("client") ? SOCKET : JDK_SOCKET;
    }

    @Test
    void theProgramDidWhatItPlanned() {
        assertThat(jvm.value("CONNECTIONS")).isEqualTo("5");
        assertThat(jvm.value("SERVER_HANDSHAKES")).as("each connection's server side reported").isEqualTo("5");
        assertThat(jvm.value("SOCKET")).as("Conscrypt's SSLSocket on OpenJDK").isEqualTo(
                "org.conscrypt.Java8EngineSocket");
        assertThat(lines).hasSize(20);
        for (String scenario : List.of("engine13", "engine12", "socket13", "socket12")) {
            String protocol = scenario.endsWith("13") ? "TLSv1.3" : "TLSv1.2";
            for (String role : List.of("client", "server")) {
                assertThat(EngineChecks.lines(lines, scenario, role)).as(scenario + " " + role).hasSize(2)
                        .allSatisfy(l -> {
                            assertThat(l.ok).isTrue();
                            assertThat(l.protocol).isEqualTo(protocol);
                            assertThat(l.alpn).isEqualTo("http/1.1");
                            assertThat(l.sni).as("Conscrypt sends localhost as SNI").isEqualTo("localhost");
                        });
            }
        }
        for (String scenario : List.of("untrusted", "socketuntrusted")) {
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
        assertThat(records.where("tls_agent.provider", "Conscrypt").size()).as(records.toString()).isEqualTo(15);
        assertThat(records.where("tls_agent.provider", "SunJSSE").size()).as(records.toString()).isEqualTo(5);
    }

    @Test
    void everyRecordSaysWhatItsLibrarySaw() throws Exception {
        for (Pair p : EngineChecks.pair(records, lines)) {
            EngineChecks.recordSaysWhatTheLibrarySaw(p, side(p), jvm.pid(), pki);
        }
    }

    @Test
    void addressesAreWhatTheProgramGaveOrTheSocketHas() {
        int port = Integer.parseInt(jvm.value("PORT"));
        for (Pair p : EngineChecks.pair(records, lines)) {
            if (side(p) == SOCKET || side(p) == JDK_SOCKET) {
                EngineChecks.socketRecordHasTheClientPort(p);
                assertThat(p.text("server.port")).as(p.toString()).isEqualTo(Integer.toString(port));
            } else if (p.role().equals("client")) {
                // createSSLEngine("localhost", <a port per scenario>), in memory (no connection to bind): the name
                // the application gave is the server's domain, no address is guessed
                assertThat(p.text("server.domain")).as(p.toString()).isEqualTo("localhost");
                assertThat(p.text("server.address")).as(p.toString()).isNull();
                assertThat(p.text("client.port")).as(p.toString()).isNull();
            } else {
                // createSSLEngine("127.0.0.1", <the handshake's number>)
                assertThat(p.text("client.address")).as(p.toString()).isEqualTo("127.0.0.1");
            }
        }
    }

    /**
     * Conscrypt has no API that says whether a session was resumed; the plaintext handshake does (TLS 1.3: the
     * ServerHello accepted a PSK; TLS 1.2: the server skipped its Certificate). The JDK server of the same
     * connection (SunJSSE, read from its internals) is the oracle.
     */
    @Test
    void conscryptsResumptionIsReadFromTheWireAndAgreesWithTheJdkServer() {
        for (String scenario : List.of("socket13", "socket12")) {
            List<String> seen = new java.util.ArrayList<>();
            for (HandshakeLine l : EngineChecks.lines(lines, scenario, "client")) {
                Records client = records.role("client").where("client.port", l.key);
                Records server = records.role("server").where("client.port", l.key);
                assertThat(client.size()).as(scenario + " " + l.key + ": " + records).isEqualTo(1);
                assertThat(server.size()).as(scenario + " " + l.key + ": " + records).isEqualTo(1);
                assertThat(client.values("tls_agent.provider")).containsExactly("Conscrypt");
                String jdk = server.values("tls_agent.resumption").get(0);
                boolean resumed = !"none".equals(jdk);
                assertThat(client.values("tls.resumed")).as(client.toString())
                        .containsExactly(String.valueOf(resumed));
                // how: PSK in TLS 1.3; in TLS 1.2 the wire cannot say (session ID or ticket) without reading them
                assertThat(client.values("tls_agent.resumption").get(0)).as(client.toString())
                        .isEqualTo(scenario.equals("socket13") ? jdk : resumed ? null : "none");
                seen.add(jdk);
            }
            assertThat(seen).as(scenario).hasSize(2).contains("none").anyMatch(r -> !"none".equals(r));
        }
        Records engines = records.where("tls_agent.provider", "Conscrypt").where("tls_agent.api", "SSLEngine")
                .where("event.outcome", "success");
        assertThat(engines.size()).isPositive();
        assertThat(engines.values("tls.resumed")).as(engines.toString()).doesNotContainNull();
    }

    /**
     * Conscrypt (BoringSSL) 2.7 offers X25519MLKEM768 first and x25519; JDK 25 and older have no ML-KEM in TLS, so the
     * JDK server negotiates x25519: its records and meters say a post-quantum group was offered, and not negotiated;
     * between two Conscrypt engines X25519MLKEM768 is negotiated, and their records say so.
     * The expected lists are tshark's view of Conscrypt 2.7.0's ClientHellos (captured on loopback for the issue)
     * ({@code tls.handshake.extensions_supported_group}: 0x11ec,0x001d,0x0017,0x0018 with TLS 1.3;
     * 0x001d,0x0017,0x0018 when only TLS 1.2 is enabled; ServerHello key_share 29, x25519).
     */
    @Test
    void theJdkServerSawAPostQuantumOfferAndNegotiatedAClassicalGroup() {
        Records server13 = records.where("tls_agent.provider", "SunJSSE").where("event.outcome", "success")
                .version("1.3");
        assertThat(server13.size()).as(records.toString()).isEqualTo(2);
        for (int i = 0; i < server13.size(); i++) {
            JsonNode r = server13.get(i);
            assertThat(Records.texts(r, "tls_agent.client_hello.groups")).as(r.toString())
                    .containsExactly("X25519MLKEM768", "x25519", "secp256r1", "secp384r1");
            assertThat(Records.text(r, "tls.curve")).as(r.toString()).isEqualTo("x25519");
        }
        Records server12 = records.where("tls_agent.provider", "SunJSSE").where("event.outcome", "success")
                .version("1.2");
        assertThat(server12.size()).as(records.toString()).isEqualTo(2);
        for (int i = 0; i < server12.size(); i++) {
            assertThat(Records.texts(server12.get(i), "tls_agent.client_hello.groups")).as(server12.toString())
                    .containsExactly("x25519", "secp256r1", "secp384r1");
        }
        long offered = records.role("server")
                .where(r -> Records.texts(r, "tls_agent.client_hello.groups").contains("X25519MLKEM768")).size();
        assertThat(offered).as("ClientHellos the JDK server received with X25519MLKEM768").isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("tls_client_hellos_total", l -> l.get("role").equals("server")
                && l.get("post_quantum_offered").equals("true"))).isEqualTo(offered);
        // The meter counts each record's group, whichever engine: the JDK's x25519, and Conscrypt's own (read from
        // its ServerHello on the wire) X25519MLKEM768 between two Conscrypt engines.
        for (String role : List.of("client", "server")) {
            long x25519 = records.role(role).where("tls.curve", "x25519").size();
            long hybrid = records.role(role).where("tls.curve", "X25519MLKEM768").size();
            assertThat(records.role(role).where(r -> Records.text(r, "tls.curve") != null).size())
                    .isEqualTo(x25519 + hybrid);
            assertThat(hybrid).as(role).isGreaterThanOrEqualTo(2);
            assertThat(scrape.sum("tls_key_exchange_groups_total", l -> l.get("role").equals(role)
                    && l.get("group").equals("x25519") && l.get("post_quantum").equals("false")))
                    .as(scrape.named("tls_key_exchange_groups_total").toString()).isEqualTo(x25519);
            assertThat(scrape.sum("tls_key_exchange_groups_total", l -> l.get("role").equals(role)
                    && l.get("group").equals("X25519MLKEM768") && l.get("post_quantum").equals("true")))
                    .isEqualTo(hybrid);
        }
        assertThat(records.where("tls_agent.provider", "Conscrypt").where("tls_agent.api", "SSLEngine")
                .version("1.3").values("tls.curve")).as("Conscrypt to Conscrypt").containsOnly("X25519MLKEM768");
    }

    @Test
    void failuresAreReportedOnceWithAnErrorType() {
        List<Pair> pairs = EngineChecks.pair(records, lines);
        // the client's trust manager threw (PKIX path building): the exception chain says so
        assertThat(EngineChecks.of(pairs, "untrusted", "client").get(0).text("error.type"))
                .isEqualTo("certificate_untrusted");
        // The server engine shows only BoringSSL's message ("...SSLV3_ALERT_CERTIFICATE_UNKNOWN"): the client's
        // alert came after the ServerHello, encrypted (TLS 1.3), so the agent reads none: "other" is documented.
        assertThat(EngineChecks.of(pairs, "untrusted", "server").get(0).text("error.type"))
                .isIn("bad_certificate", "other");
        // The same through Conscrypt's SSLSocket; the JDK server (SunJSSE, deep hooks) has the alert it received.
        assertThat(EngineChecks.of(pairs, "socketuntrusted", "client").get(0).text("error.type"))
                .isEqualTo("certificate_untrusted");
        Pair server = EngineChecks.of(pairs, "socketuntrusted", "server").get(0);
        assertThat(server.text("error.type")).as(server.toString()).isEqualTo("bad_certificate");
        assertThat(server.text("tls_agent.alert.direction")).as(server.toString()).isEqualTo("received");
    }

    @Test
    void scrapeAgreesWithTheLog() {
        EngineChecks.scrapeAgreesWithLog(scrape, records);
        assertThat(EngineChecks.scraped(scrape, "Conscrypt")).isEqualTo(15);
        assertThat(EngineChecks.scraped(scrape, "SunJSSE")).isEqualTo(5);
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
