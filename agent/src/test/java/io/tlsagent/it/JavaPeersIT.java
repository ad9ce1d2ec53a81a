package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.has;
import static io.tlsagent.testsupport.Records.text;
import static io.tlsagent.testsupport.Records.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java client and Java server in one JVM with the agent, over loopback, through SSLSocket and SSLEngine: every
 * step must yield exactly the records it caused, with the right details, and the scrape must agree with the log.
 */
@Tag("jdk")
class JavaPeersIT {

    static final String[] APIS = {"socket", "engine"};

    @TempDir
    static Path dir;
    static Records records;
    static Scrape scrape;
    static int javaVersion;
    static String serverCertSha256;
    static long serverNotAfter;
    static List<String> stderr;
    static List<String> steps = new ArrayList<>();
    static List<String> outcomes;

    @BeforeAll
    static void runWorkload() throws Exception {
        TestPki pki = TestPki.createIn(dir);
        serverNotAfter = pki.server.getNotAfter().toInstant().getEpochSecond();
        serverCertSha256 = pki.serverSha256();
        for (String api : APIS) {
            for (String step : List.of("tls13-full", "tls13-resume", "tls12-full", "tls12-ticket", "tls12-sessionid",
                    "version-mismatch", "untrusted", "peer-closed")) {
                steps.add(api + "-" + step);
            }
        }
        steps.add("socket-tls13-keyupdate");
        // Every line with the whole anatomy: these tests read each handshake's (summary lines: SummaryLogIT).
        try (ForkedJvm p = Forks.workload(dir, "--pki", dir.toString(), "--steps", String.join(",", steps), "--hold")
                .agentArgs("log_detail=full").start()) {
            p.awaitStdout("READY");
            javaVersion = Integer.parseInt(p.value("JAVA"));
            // The histograms and the log follow on the agent's export thread: scrape once it has had every record.
            scrape = p.scrapeOnceExported();
            assertThat(p.finish()).isZero();
            records = p.records();
            stderr = p.stderr();
            outcomes = outcomes(p.stdout());
        }
    }

    private static List<String> outcomes(List<String> stdout) {
        List<String> outcomes = new ArrayList<>();
        for (String line : stdout) {
            if (line.startsWith("OUTCOME ")) {
                outcomes.add(line);
            }
        }
        Collections.sort(outcomes);
        return outcomes;
    }

    @Test
    void theApplicationSeesTheSameWithAndWithoutTheAgent() throws Exception {
        Path bare = Files.createTempDirectory(dir, "without-agent");
        try (ForkedJvm p = Forks.workload(bare, "--pki", dir.toString(), "--steps", String.join(",", steps))
                .withoutAgent().start()) {
            p.awaitStdout("READY");
            assertThat(p.finish()).isZero();
            assertThat(outcomes).hasSizeGreaterThan(30).isEqualTo(outcomes(p.stdout()));
        }
    }

    private static Records step(String name) {
        return records.threadPrefix(name + "/");
    }

    private static JsonNode only(List<JsonNode> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    @Test
    void agentStartedAndSaidSoOnce() {
        assertThat(stderr).filteredOn(l -> l.contains("tls-agent")).hasSize(1);
        assertThat(stderr.get(0)).contains("started").contains("metrics on http://127.0.0.1:");
    }

    @Test
    void everyRecordBelongsToAStepAndNoneIsExtra() {
        // 8 handshakes per API in the success steps (1+2+1+2+2 per side = 8, both sides = 16), 2 per failing
        // step (4 per API), 1 per peer-closed step.
        int perApi = 2 * (1 + 2 + 1 + 2 + 2) + 2 + 2 + 1;
        int keyUpdate = 2; // one handshake; the KeyUpdate is not one
        assertThat(records).hasSize(2 * perApi + keyUpdate);
    }

    @Test
    void fullHandshakes() {
        for (String api : APIS) {
            for (String version : List.of("1.3", "1.2")) {
                Records rs = step(api + "-tls" + version.replace(".", "") + "-full");
                assertThat(rs).as(api + " " + version).hasSize(2);
                JsonNode client = only(rs.role("client"));
                JsonNode server = only(rs.role("server"));
                for (JsonNode r : rs) {
                    assertSuccess(r, api, version);
                    assertThat(text(r, "tls.resumed")).isEqualTo("false");
                    assertThat(text(r, "tls_agent.resumption")).isEqualTo("none");
                    assertThat(text(r, "tls.curve")).isIn("x25519", "secp256r1", "secp384r1");
                }
                // The client saw the server's certificate, the one the test made.
                assertThat(text(client, "tls.server.hash.sha256")).isEqualTo(serverCertSha256);
                assertThat(text(client, "tls.server.subject")).isEqualTo("O=tls-agent tests,CN=localhost");
                assertThat(text(client, "tls.server.issuer")).isEqualTo("CN=tls-agent test CA");
                assertThat(text(client, "tls.server.x509.serial_number")).matches("[0-9A-F]+");
                assertThat(text(client, "tls.server.not_after")).isNotNull();
                assertThat(has(server, "tls.client.subject")).as("no client certificate was sent").isFalse();
                assertThat(text(client, "tls.cipher")).isEqualTo(text(server, "tls.cipher"));
                if (api.equals("socket")) {
                    // Both sides describe the same TCP connection.
                    assertThat(text(client, "client.port")).isEqualTo(text(server, "client.port"));
                    assertThat(text(client, "server.port")).isEqualTo(text(server, "server.port"));
                    assertThat(text(client, "server.address")).isEqualTo("127.0.0.1");
                    assertThat(text(server, "client.address")).isEqualTo("127.0.0.1");
                } else {
                    // An engine in memory (no library, no connection) knows only the peer the application named:
                    // a name, so the server's domain, and no address.
                    assertThat(text(client, "server.domain")).isEqualTo("localhost");
                    assertThat(text(client, "server.address")).isNull();
                    assertThat(text(client, "server.port")).isEqualTo("4433");
                }
            }
        }
    }

    @Test
    void tls13ResumptionIsPskOnBothSides() {
        for (String api : APIS) {
            Records rs = step(api + "-tls13-resume");
            assertThat(rs).as(api).hasSize(4);
            for (String role : List.of("client", "server")) {
                List<JsonNode> side = rs.role(role);
                assertThat(side).extracting(r -> text(r, "tls.resumed")).containsExactly("false", "true");
                assertThat(side).extracting(r -> text(r, "tls_agent.resumption")).containsExactly("none", "psk");
                side.forEach(r -> assertSuccess(r, api, "1.3"));
            }
        }
    }

    @Test
    void tls12ResumptionByTicketAndBySessionId() {
        // JDK 11 has no RFC 5077 tickets: it resumes by session ID even when tickets are not disabled.
        String ticket = javaVersion >= 13 ? "ticket" : "session_id";
        for (String api : APIS) {
            for (Map.Entry<String, String> c : Map.of("tls12-ticket", ticket, "tls12-sessionid", "session_id")
                    .entrySet()) {
                Records rs = step(api + "-" + c.getKey());
                assertThat(rs).as(api + " " + c.getKey()).hasSize(4);
                for (String role : List.of("client", "server")) {
                    List<JsonNode> side = rs.role(role);
                    assertThat(side).extracting(r -> text(r, "tls_agent.resumption"))
                            .as(api + " " + c.getKey() + " " + role).containsExactly("none", c.getValue());
                    assertThat(side).extracting(r -> text(r, "tls.resumed")).containsExactly("false", "true");
                    side.forEach(r -> assertSuccess(r, api, "1.2"));
                }
            }
        }
    }

    @Test
    void versionMismatchFailsWithProtocolVersionOnBothSides() {
        for (String api : APIS) {
            Records rs = step(api + "-version-mismatch");
            assertThat(rs).as(api).hasSize(2);
            JsonNode client = only(rs.role("client"));
            JsonNode server = only(rs.role("server"));
            for (JsonNode r : rs) {
                assertFailure(r, api, "protocol_version");
                assertThat(text(r, "tls_agent.alert.name")).isEqualTo("protocol_version");
            }
            assertThat(text(server, "tls_agent.alert.direction")).isEqualTo("sent");
            assertThat(text(client, "tls_agent.alert.direction")).isEqualTo("received");
        }
    }

    @Test
    void untrustedCertificate() {
        for (String api : APIS) {
            Records rs = step(api + "-untrusted");
            assertThat(rs).as(api).hasSize(2);
            JsonNode client = only(rs.role("client"));
            JsonNode server = only(rs.role("server"));
            assertFailure(client, api, "certificate_untrusted");
            assertThat(text(client, "tls_agent.alert.direction")).isEqualTo("sent");
            assertThat(text(client, "error.message")).contains("PKIX path");
            assertFailure(server, api, "bad_certificate");
            assertThat(text(server, "tls_agent.alert.direction")).isEqualTo("received");
        }
    }

    @Test
    void aKeyUpdateIsNotAHandshake() {
        Records keyUpdate = step("socket-tls13-keyupdate");
        assertThat(keyUpdate.role("client")).hasSize(1);
        assertThat(keyUpdate.role("server")).hasSize(1);
    }

    @Test
    void peerClosedMidHandshake() {
        JsonNode socket = only(step("socket-peer-closed"));
        assertFailure(socket, "socket", "peer_closed");
        assertThat(text(socket, "tls_agent.role")).isEqualTo("server");
        assertThat(has(socket, "event.duration")).as("no handshake message arrived: no duration").isFalse();

        JsonNode engine = only(step("engine-peer-closed"));
        assertFailure(engine, "engine", "peer_closed");
        assertThat(text(engine, "tls_agent.role")).isEqualTo("server");
        assertThat(has(engine, "event.duration")).as("the ClientHello arrived: timed from it").isTrue();
    }

    @Test
    void anatomyOfTheSameConnectionAgreesOnBothSides() {
        for (String api : APIS) {
            Records rs = step(api + "-tls13-full");
            JsonNode client = only(rs.role("client"));
            JsonNode server = only(rs.role("server"));
            // What the client sent is what the server received.
            for (String path : List.of("tls_agent.client_hello.ja4", "tls_agent.client_hello.ja3", "tls.client.ja3",
                    "tls.server.ja3s", "tls_agent.server_hello.ja3s")) {
                assertThat(text(client, path)).as(api + " " + path).isNotBlank().isEqualTo(text(server, path));
            }
            assertThat(text(client, "tls.client.ja3")).matches("[0-9a-f]{32}");
            assertThat(text(client, "tls_agent.client_hello.ja4")).startsWith("t13");
            assertThat(texts(client, "tls_agent.client_hello.versions")).contains("TLSv1.3");
            assertThat(texts(client, "tls.client.supported_ciphers")).contains("TLS_AES_256_GCM_SHA384");
            assertThat(texts(client, "tls_agent.client_hello.extensions")).contains("supported_versions", "key_share");
            assertThat(client.at("/tls_agent/client_hello/session_ticket/offered").isBoolean()).isTrue();
            // The chain the server presented, as the client saw it.
            assertThat(texts(client, "tls.server.certificate_chain")).first().isEqualTo(serverCertSha256);
            assertThat(text(client, "tls.server.x509.subject.distinguished_name"))
                    .isEqualTo("O=tls-agent tests,CN=localhost");
            assertThat(texts(client, "tls.server.x509.alternative_names")).contains("DNS:localhost");
            assertThat(text(client, "tls.server.x509.public_key_algorithm")).isEqualTo("EC");
            assertThat(texts(server, "tls.server.certificate_chain")).first().isEqualTo(serverCertSha256);
            // Signatures and trust.
            assertThat(text(client, "tls_agent.signature_scheme.peer"))
                    .isEqualTo(text(server, "tls_agent.signature_scheme.local")).startsWith("ecdsa_");
            assertThat(text(client, "tls_agent.trust_check.result")).isEqualTo("success");
            assertThat(client.at("/tls_agent/trust_check/duration_us").asLong()).isPositive();
            assertThat(has(server, "tls_agent.trust_check.result")).as("no client certificate").isFalse();
            assertThat(has(client, "tls_agent.parse_errors")).isFalse();

            JsonNode rejected = only(step(api + "-untrusted").role("client"));
            assertThat(text(rejected, "tls_agent.trust_check.result")).isEqualTo("failure");
            assertThat(rejected.at("/tls_agent/peer_chain/0/subject").asText()).isEqualTo("CN=untrusted.test");
            assertThat(texts(rejected, "tls_agent.findings")).contains("self_signed_peer");
        }
        assertThat(scrape.sum("tls_certificate_expiry_timestamp_seconds", l -> l.get("presented_by").equals("peer")
                && l.get("subject").equals("O=tls-agent tests,CN=localhost")))
                .isEqualTo((double) serverNotAfter);
        assertThat(scrape.sum("tls_client_hellos_total", l -> l.get("role").equals("server")
                && l.get("max_offered_version").equals("TLSv1.3"))).isPositive();
        assertThat(scrape.sum("tls_trust_check_duration_seconds_count", l -> l.get("result").equals("failure")))
                .isEqualTo(2.0);
        assertThat(scrape.sum("tls_handshake_findings_total", l -> l.get("finding").equals("self_signed_peer")))
                .isEqualTo(2.0);
    }


    /** The handshake's messages in order, as RFC 8446 and 5246 describe the flights; offsets never go back. */
    private static List<String> timeline(JsonNode r) {
        List<String> out = new ArrayList<>();
        long last = -1;
        for (JsonNode m : r.get("tls_agent").get("messages")) {
            long offset = m.get("offset_us").asLong();
            assertThat(offset).isGreaterThanOrEqualTo(last);
            if (last < 0) {
                assertThat(offset).as("the first message starts the clock").isZero();
            }
            last = offset;
            out.add((m.get("direction").asText().equals("out") ? ">" : "<") + m.get("type").asText());
        }
        return out;
    }

    @Test
    void timelines() {
        for (String api : APIS) {
            Records full13 = step(api + "-tls13-full");
            assertThat(timeline(only(full13.role("client")))).containsExactly(">client_hello", "<server_hello",
                    "<encrypted_extensions", "<certificate", "<certificate_verify", "<finished", ">finished");
            assertThat(timeline(only(full13.role("server")))).containsExactly("<client_hello", ">server_hello",
                    ">encrypted_extensions", ">certificate", ">certificate_verify", ">finished", "<finished");
            // TLS 1.3 resumption: no certificate; the session tickets after the handshake are not part of it.
            JsonNode resumed = step(api + "-tls13-resume").role("client").get(1);
            assertThat(timeline(resumed)).containsExactly(">client_hello", "<server_hello", "<encrypted_extensions",
                    "<finished", ">finished");
            List<String> server12 = new ArrayList<>(List.of("<client_hello", ">server_hello", ">certificate",
                    ">server_key_exchange", ">server_hello_done", "<client_key_exchange", "<finished"));
            if (javaVersion >= 13) {
                server12.add(">new_session_ticket"); // a TLS 1.2 ticket is part of the handshake
            }
            server12.add(">finished");
            assertThat(timeline(only(step(api + "-tls12-full").role("server")))).isEqualTo(server12);
        }
        // A failure keeps the messages up to where it failed.
        JsonNode mismatch = only(step("socket-version-mismatch").role("server"));
        assertThat(timeline(mismatch)).containsExactly("<client_hello");
    }

    @Test
    void scrapeAgreesWithTheLog() {
        assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(records.size());
        Map<String, Integer> fromLog = new HashMap<>();
        for (JsonNode r : records) {
            String result = "success".equals(text(r, "event.outcome")) ? "success" : text(r, "error.type");
            fromLog.merge(text(r, "tls_agent.role") + "/" + result + "/" + text(r, "tls.resumed"), 1, Integer::sum);
        }
        fromLog.forEach((key, count) -> {
            String[] k = key.split("/");
            assertThat(scrape.sum("tls_handshakes_total", l -> l.get("role").equals(k[0])
                    && l.get("result").equals(k[1]) && l.get("resumed").equals(k[2]))).as(key).isEqualTo((double) count);
        });
        long timed = records.stream().filter(r -> has(r, "event.duration")).count();
        assertThat(scrape.sum("tls_handshake_duration_seconds_count")).isEqualTo(timed);
        assertThat(scrape.sum("tls_handshakes_total", l -> l.get("protocol").equals("TLSv1.3")
                && l.get("cipher_suite").startsWith("TLS_AES_") && l.get("provider").equals("SunJSSE")
                && l.get("resumed").equals("true") && l.get("role").equals("client"))).isEqualTo(2);
        assertThat(scrape.sum("tls_handshakes_total", l -> l.get("result").equals("protocol_version")
                && l.get("protocol").equals("none") && l.get("cipher_suite").equals("none"))).isEqualTo(4);
        assertThat(scrape.sum("tls_agent_errors_total")).isZero();
        assertThat(scrape.sum("tls_agent_log_dropped_total")).isZero();
        assertThat(scrape.named("tls_agent_info")).singleElement()
                .satisfies(s -> assertThat(s.labels).containsKeys("version", "java_version"));
    }

    @Test
    void noLabelCarriesAPeerOrAName() {
        for (Scrape.Sample s : scrape.samples) {
            if (s.name.equals("tls_certificate_expiry_timestamp_seconds")) {
                continue; // the one documented exception: one bounded series per certificate
            }
            for (String value : s.labels.values()) {
                assertThat(value).doesNotContain("127.0.0.1").doesNotContain("localhost").doesNotContain("CN=");
            }
        }
    }

    private static void assertSuccess(JsonNode r, String api, String version) {
        assertThat(text(r, "event.outcome")).as(r.toString()).isEqualTo("success");
        assertThat(text(r, "tls.established")).isEqualTo("true");
        assertThat(text(r, "tls.version_protocol")).isEqualTo("tls");
        assertThat(text(r, "tls.version")).isEqualTo(version);
        assertThat(text(r, "tls.cipher")).startsWith("TLS_");
        assertThat(r.get("event").get("duration").asLong()).isPositive();
        assertCommon(r, api);
        assertThat(has(r, "error.type")).isFalse();
    }

    private static void assertFailure(JsonNode r, String api, String errorType) {
        assertThat(text(r, "event.outcome")).as(r.toString()).isEqualTo("failure");
        assertThat(text(r, "tls.established")).isEqualTo("false");
        assertThat(text(r, "error.type")).as(r.toString()).isEqualTo(errorType);
        assertThat(text(r, "error.message")).isNotBlank();
        assertCommon(r, api);
    }

    private static void assertCommon(JsonNode r, String api) {
        assertThat(text(r, "tls_agent.api")).isEqualTo(api.equals("socket") ? "SSLSocket" : "SSLEngine");
        assertThat(text(r, "tls_agent.provider")).isEqualTo("SunJSSE");
        assertThat(text(r, "event.kind")).isEqualTo("event");
        assertThat(text(r, "event.action")).isEqualTo("tls-handshake");
        assertThat(r.get("event").get("category").get(0).asText()).isEqualTo("network");
        assertThat(r.get("event").get("type").get(0).asText()).isEqualTo("connection");
        assertThat(text(r, "service.name")).isEqualTo("Workload");
        assertThat(r.get("process").get("pid").asLong()).isPositive();
        assertThat(text(r, "@timestamp")).isNotNull();
    }
}
