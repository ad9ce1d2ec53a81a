package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.has;
import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS implementation other than the JDK's, seen through the public API: Bouncy Castle's JSSE (BCJSSE) as the
 * client, SunJSSE as the server, in one JVM. Each side must be recorded once, by its own hooks.
 */
@Tag("jdk")
class OtherProvidersIT {

    @TempDir
    static Path dir;
    static Records records;
    static Scrape scrape;

    @BeforeAll
    static void run() throws Exception {
        try (ForkedJvm p = Forks.workload(dir, "--steps", "bc-engine-tls13,bc-engine-tls12,bc-socket-tls13,"
                + "bc-engine-untrusted", "--hold").jvmArgs("-Djava.util.logging.config.file=/dev/null").start()) {
            p.awaitStdout("READY");
            scrape = p.scrape();
            assertThat(p.finish()).isZero();
            records = p.records();
        }
    }

    @Test
    void eachSideOnceByItsOwnProvider() {
        for (String step : List.of("bc-engine-tls13", "bc-engine-tls12", "bc-socket-tls13")) {
            Records rs = records.threadPrefix(step + "/");
            int handshakes = step.equals("bc-engine-tls13") ? 2 : 1;
            List<JsonNode> clients = rs.role("client");
            List<JsonNode> servers = rs.role("server");
            assertThat(clients).as(step).hasSize(handshakes);
            assertThat(servers).as(step).hasSize(handshakes);
            for (JsonNode c : clients) {
                assertThat(text(c, "tls_agent.provider")).isEqualTo("BCJSSE");
                assertThat(text(c, "event.outcome")).isEqualTo("success");
                assertThat(text(c, "tls.version")).isEqualTo(step.contains("tls12") ? "1.2" : "1.3");
                assertThat(text(c, "tls.cipher")).isEqualTo(text(servers.get(0), "tls.cipher"));
                assertThat(text(c, "tls.server.subject")).contains("CN=localhost");
                assertThat(c.get("event").get("duration").asLong()).isPositive();
                if (step.startsWith("bc-socket")) {
                    // BCJSSE's API does not say whether it resumed, nor does its socket's wire (none passes an
                    // engine): absent, not guessed.
                    assertThat(has(c, "tls.resumed")).isFalse();
                    assertThat(has(c, "tls_agent.resumption")).isFalse();
                    assertThat(has(c, "tls.curve")).isFalse();
                }
            }
            servers.forEach(s -> assertThat(text(s, "tls_agent.provider")).isEqualTo("SunJSSE"));
        }
    }

    /**
     * BCJSSE's engine, read from its plaintext records: the same ClientHello (JA3, JA4), ServerHello (JA3S), group and
     * resumption as the SunJSSE server of the same connections says from its internals.
     */
    @Test
    void theBouncyCastleEngineAgreesWithTheJdkServerOnTheWire() {
        for (String step : List.of("bc-engine-tls13", "bc-engine-tls12")) {
            Records rs = records.threadPrefix(step + "/");
            for (String field : List.of("tls_agent.client_hello.ja4", "tls.client.ja3", "tls.curve", "tls.resumed",
                    "tls.server.ja3s")) {
                assertThat(rs.role("client").values(field)).as(step + " " + field + ": " + rs)
                        .doesNotContainNull()
                        .containsExactlyInAnyOrderElementsOf(rs.role("server").values(field));
            }
            for (JsonNode c : rs.role("client")) {
                assertThat(text(c, "tls_agent.resumption")).isEqualTo(step.contains("tls13")
                        ? ("true".equals(text(c, "tls.resumed")) ? "psk" : "none")
                        : ("true".equals(text(c, "tls.resumed")) ? null : "none"));
            }
        }
    }

    @Test
    void failureThroughThePublicApi() {
        Records rs = records.threadPrefix("bc-engine-untrusted/");
        assertThat(rs).hasSize(2);
        JsonNode client = rs.role("client").get(0);
        assertThat(text(client, "tls_agent.provider")).isEqualTo("BCJSSE");
        assertThat(text(client, "error.type")).isEqualTo("certificate_untrusted");
        assertThat(text(rs.role("server").get(0), "error.type")).isEqualTo("bad_certificate");
    }

    @Test
    void metricsCarryTheProviderAndResumptionWhereKnown() {
        assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(records.size());
        // only the socket's resumption is unknown; the engines' comes from the wire
        assertThat(scrape.sum("tls_handshakes_total", l -> l.get("provider").equals("BCJSSE")
                && l.get("resumed").equals("unknown") && l.get("result").equals("success"))).isEqualTo(1.0);
        assertThat(scrape.sum("tls_handshakes_total", l -> l.get("provider").equals("BCJSSE")
                && l.get("result").equals("success"))).isEqualTo(4.0);
        assertThat(scrape.sum("tls_agent_errors_total")).isZero();
    }
}
