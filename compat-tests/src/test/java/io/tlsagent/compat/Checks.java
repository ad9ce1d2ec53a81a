package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/** Assertions every compatibility test makes on what the agent recorded in its forked JVM. */
public final class Checks {

    private Checks() {}

    /**
     * Each record is a successful handshake of that JVM through SunJSSE with the test's certificate; clients saw
     * the server certificate the test made, servers saw no client certificate.
     */
    public static void allSucceededWithTestCertificate(Records records, long pid, TestPki pki) throws Exception {
        for (JsonNode r : records) {
            String line = r.toString();
            assertThat(text(r, "event.action")).as(line).isEqualTo("tls-handshake");
            assertThat(text(r, "event.outcome")).as(line).isEqualTo("success");
            assertThat(text(r, "tls.established")).as(line).isEqualTo("true");
            assertThat(text(r, "tls.version_protocol")).as(line).isEqualTo("tls");
            assertThat(text(r, "tls.version")).as(line).isIn("1.2", "1.3");
            assertThat(text(r, "tls.cipher")).as(line).startsWith("TLS_");
            assertThat(text(r, "tls_agent.provider")).as(line).isEqualTo("SunJSSE");
            assertThat(text(r, "tls_agent.role")).as(line).isIn("client", "server");
            assertThat(text(r, "tls_agent.api")).as(line).isIn("SSLSocket", "SSLEngine");
            assertThat(Long.parseLong(text(r, "event.duration"))).as(line).isPositive();
            assertThat(text(r, "process.pid")).as(line).isEqualTo(Long.toString(pid));
            assertThat(text(r, "error.type")).as(line).isNull();
            boolean resumed = Boolean.parseBoolean(text(r, "tls.resumed"));
            String resumption = text(r, "tls_agent.resumption");
            if (!resumed) {
                assertThat(resumption).as(line).isEqualTo("none");
            } else if (text(r, "tls.version").equals("1.3")) {
                assertThat(resumption).as(line).isEqualTo("psk");
            } else {
                assertThat(resumption).as(line).isIn("ticket", "session_id");
            }
            if (text(r, "tls_agent.role").equals("client")) {
                assertThat(text(r, "tls.server.subject")).as(line).isEqualTo(TestPki.SERVER_SUBJECT);
                assertThat(text(r, "tls.server.issuer")).as(line).isEqualTo(TestPki.CA_SUBJECT);
                assertThat(text(r, "tls.server.hash.sha256")).as(line).isEqualTo(pki.serverSha256());
            } else {
                assertThat(text(r, "tls.client.subject")).as("no client certificate was sent: " + line).isNull();
            }
        }
    }

    /**
     * The scrape agrees with the log exactly: for each (role, protocol, cipher_suite, resumed, result) the counter
     * equals the number of JSON lines, and the histogram counted each handshake once.
     */
    public static void scrapeAgreesWithLog(Scrape scrape, Records records) {
        Map<String, Integer> logged = new TreeMap<>();
        for (JsonNode r : records) {
            String key = key(text(r, "tls_agent.role"), "TLSv" + text(r, "tls.version"), text(r, "tls.cipher"),
                    text(r, "tls.resumed"), "success".equals(text(r, "event.outcome")) ? "success"
                            : text(r, "error.type"), text(r, "tls_agent.provider"));
            logged.merge(key, 1, Integer::sum);
        }
        Map<String, Integer> counted = new TreeMap<>();
        for (Scrape.Sample s : scrape.named("tls_handshakes_total")) {
            if (s.value != 0) {
                counted.merge(key(s.labels.get("role"), s.labels.get("protocol"), s.labels.get("cipher_suite"),
                        s.labels.get("resumed"), s.labels.get("result"), s.labels.get("provider")),
                        (int) s.value, Integer::sum);
            }
        }
        assertThat(counted).as("tls_handshakes_total by labels vs JSON lines; " + records).isEqualTo(logged);
        assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(records.size());
        assertThat(scrape.sum("tls_handshake_duration_seconds_count")).isEqualTo(records.size());
        assertThat(scrape.named("tls_agent_errors_total")).as(scrape.text).hasSize(1);
        assertThat(scrape.named("tls_agent_log_dropped_total")).as(scrape.text).hasSize(1);
        assertThat(scrape.named("tls_agent_info")).hasSize(1);
    }

    private static String key(String role, String protocol, String cipher, String resumed, String result,
            String provider) {
        return "role=" + role + " protocol=" + protocol + " cipher_suite=" + cipher + " resumed=" + resumed
                + " result=" + result + " provider=" + provider;
    }

    /**
     * The records of one scenario say what its client and server saw through their own APIs: the same version,
     * cipher suite and SNI host name (each scenario's requests share these); and both ends agree. Where the
     * server cannot tell the SNI it got, the client's and the server's records must still agree.
     */
    public static void recordsMatchWhatThePeersSaw(Records scenario, List<ClientLine> lines) {
        assertThat(lines).isNotEmpty();
        ClientLine first = lines.get(0);
        for (ClientLine l : lines) {
            assertThat(l.protocol).as(l.line).isEqualTo(first.protocol).isEqualTo(l.serverProtocol);
            assertThat(l.cipher).as(l.line).isEqualTo(first.cipher).isEqualTo(l.serverCipher);
            assertThat(l.serverSni).as(l.line).isEqualTo(first.serverSni);
        }
        assertThat(scenario.size()).as("records for " + first.scenario).isPositive();
        for (JsonNode r : scenario) {
            assertThat(text(r, "tls.version")).as(first + " vs " + r).isEqualTo(first.version());
            assertThat(text(r, "tls.cipher")).as(first + " vs " + r).isEqualTo(first.cipher);
            if (first.serverKnowsSni) {
                assertThat(text(r, "tls.client.server_name")).as(first + " vs " + r).isEqualTo(first.serverSni);
            }
        }
        assertThat(scenario.values("tls.client.server_name").stream().distinct().count())
                .as("client and server records agree on SNI: " + scenario).isEqualTo(1);
    }

    /**
     * SSLSocket clients: each client record's connection (its local port) has exactly one server record with the
     * same client port (servers whose engines were given the peer address, or sockets), and they agree on
     * resumption.
     */
    public static void socketClientsPairWithServers(Records clients, Records servers) {
        for (JsonNode c : clients) {
            String port = text(c, "client.port");
            assertThat(port).as(c.toString()).isNotNull();
            Records peer = servers.where("client.port", port);
            assertThat(peer.size()).as("server record for " + c + " in " + servers).isEqualTo(1);
            assertThat(text(peer.get(0), "tls.resumed")).isEqualTo(text(c, "tls.resumed"));
        }
    }

    /**
     * Our agent said it started, once, and nothing else on stderr; it counted no internal error and dropped no
     * log line. If it did complain on stderr, its error counter must say so too.
     */
    public static void agentHealthy(ForkedJvm jvm, Scrape scrape) {
        List<String> said = jvm.stderr().stream().filter(l -> l.startsWith("[tls-agent]"))
                .collect(Collectors.toList());
        long complaints = said.stream().filter(l -> l.contains("internal error")).count();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(said).as("the agent's lines on stderr").hasSize(1);
        soft.assertThat(said).as("the agent's lines on stderr").first().asString().contains("started")
                .contains("metrics on http://127.0.0.1:" + jvm.metricsPort);
        soft.assertThat(scrape.sum("tls_agent_errors_total"))
                .as("tls_agent_errors_total counts the %d internal errors the agent printed: %s", complaints, said)
                .isGreaterThanOrEqualTo(complaints);
        soft.assertThat(scrape.sum("tls_agent_errors_total")).as("tls_agent_errors_total").isZero();
        soft.assertThat(scrape.sum("tls_agent_log_dropped_total")).as("tls_agent_log_dropped_total").isZero();
        soft.assertAll();
    }
}
