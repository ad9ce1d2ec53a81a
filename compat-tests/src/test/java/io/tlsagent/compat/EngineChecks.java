package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/**
 * What the tests of TLS implementations other than SunJSSE ({@link NettyOpenSslIT}, {@link ConscryptIT}) check:
 * each handshake a program caused is exactly one record per side, and each record says what that side's library
 * said ({@link HandshakeLine}); what the library cannot tell is absent.
 */
final class EngineChecks {

    private EngineChecks() {}

    /** Who the agent should say handled one side: the provider, and the API the program used. */
    static final class Side {
        final String provider;
        final String api;

        Side(String provider, String api) {
            this.provider = provider;
            this.api = api;
        }

        @Override
        public String toString() {
            return provider + "/" + api;
        }
    }

    /** One side of one handshake: the program's line, the scenario, and the agent's record of it. */
    static final class Pair {
        final HandshakeLine line;
        final String scenario;
        final JsonNode record;

        Pair(HandshakeLine line, String scenario, JsonNode record) {
            this.line = line;
            this.scenario = scenario;
            this.record = record;
        }

        String role() {
            return line.role;
        }

        String text(String path) {
            return Records.text(record, path);
        }

        @Override
        public String toString() {
            return scenario + ": " + line + "\n    " + record;
        }
    }

    /**
     * Pairs every line with its record, and fails unless there is exactly one record per line and side. Servers by
     * {@code client.port}: the programs give each server engine the client's port (or the handshake's number) as
     * its peer, and a server socket knows it. Clients in the order the handshakes ended: the programs' clients run
     * one handshake at a time, and print their lines in that order.
     */
    static List<Pair> pair(Records records, List<HandshakeLine> lines) {
        List<HandshakeLine> clients = lines.stream().filter(l -> l.role.equals("client")).collect(Collectors.toList());
        List<HandshakeLine> servers = lines.stream().filter(l -> l.role.equals("server")).collect(Collectors.toList());
        assertThat(clients.size() + servers.size()).as("HS lines are client or server: %s", lines)
                .isEqualTo(lines.size());
        Map<String, String> scenarioByKey = new HashMap<>();
        clients.forEach(l -> scenarioByKey.put(l.key, l.scenario));

        Records clientRecords = records.role("client").inTimeOrder();
        Records serverRecords = records.role("server");
        String all = "\nlines:\n  " + lines.stream().map(Object::toString).collect(Collectors.joining("\n  "))
                + "\n" + records;
        assertThat(clientRecords.size()).as("one client record per client handshake" + all)
                .isEqualTo(clients.size());
        assertThat(serverRecords.size()).as("one server record per server handshake" + all)
                .isEqualTo(servers.size());

        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            pairs.add(new Pair(clients.get(i), clients.get(i).scenario, clientRecords.get(i)));
        }
        for (HandshakeLine s : servers) {
            Records r = serverRecords.where("client.port", s.key);
            assertThat(r.size()).as("the server record of " + s + all).isEqualTo(1);
            String scenario = s.scenario.equals("-") ? scenarioByKey.get(s.key) : s.scenario;
            assertThat(scenario).as("the client line of " + s).isNotNull();
            pairs.add(new Pair(s, scenario, r.get(0)));
        }
        return pairs;
    }

    /** The lines of one scenario and role, in the order printed (a server line's scenario from its client's). */
    static List<HandshakeLine> lines(List<HandshakeLine> all, String scenario, String role) {
        Map<String, String> scenarioByKey = new HashMap<>();
        all.stream().filter(l -> l.role.equals("client")).forEach(l -> scenarioByKey.put(l.key, l.scenario));
        return all.stream().filter(l -> l.role.equals(role))
                .filter(l -> scenario.equals(l.scenario.equals("-") ? scenarioByKey.get(l.key) : l.scenario))
                .collect(Collectors.toList());
    }

    static List<Pair> of(List<Pair> pairs, String scenario, String role) {
        return pairs.stream().filter(p -> p.scenario.equals(scenario) && p.role().equals(role))
                .collect(Collectors.toList());
    }

    /**
     * The record says what its side's library said: provider and API, outcome, version, cipher suite, ALPN, SNI;
     * a client saw the test's server certificate, a server no client certificate; a failure has an error type (and,
     * through the public API, no version or suite). Resumption is checked by the tests (it depends on the provider).
     */
    static void recordSaysWhatTheLibrarySaw(Pair p, Side side, long pid, TestPki pki) throws Exception {
        String what = p.toString();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(p.text("tls_agent.role")).as(what).isEqualTo(p.role());
        soft.assertThat(p.text("tls_agent.provider")).as("provider; " + what).isEqualTo(side.provider);
        soft.assertThat(p.text("tls_agent.api")).as("api; " + what).isEqualTo(side.api);
        soft.assertThat(p.text("event.action")).as(what).isEqualTo("tls-handshake");
        soft.assertThat(p.text("process.pid")).as(what).isEqualTo(Long.toString(pid));
        soft.assertThat(p.text("event.duration")).as("event.duration; " + what).isNotNull();
        if (p.text("event.duration") != null) {
            soft.assertThat(Long.parseLong(p.text("event.duration"))).as("event.duration; " + what).isPositive();
        }
        if (p.line.ok) {
            soft.assertThat(p.text("event.outcome")).as(what).isEqualTo("success");
            soft.assertThat(p.text("tls.established")).as(what).isEqualTo("true");
            soft.assertThat(p.text("tls.version_protocol")).as(what).isEqualTo("tls");
            soft.assertThat(p.text("tls.version")).as(what).isEqualTo(p.line.version());
            soft.assertThat(p.text("tls.cipher")).as(what).isEqualTo(p.line.cipher);
            soft.assertThat(p.text("tls.next_protocol")).as("ALPN; " + what).isEqualTo(p.line.alpn);
            soft.assertThat(p.text("tls.client.server_name")).as("SNI; " + what).isEqualTo(p.line.sni);
            soft.assertThat(p.text("error.type")).as(what).isNull();
            if (p.role().equals("client")) {
                soft.assertThat(p.text("tls.server.subject")).as(what).isEqualTo(TestPki.SERVER_SUBJECT);
                soft.assertThat(p.text("tls.server.issuer")).as(what).isEqualTo(TestPki.CA_SUBJECT);
                soft.assertThat(p.text("tls.server.hash.sha256")).as(what).isEqualTo(pki.serverSha256());
            } else {
                soft.assertThat(p.text("tls.client.subject")).as("no client certificate was sent: " + what).isNull();
            }
        } else {
            soft.assertThat(p.text("event.outcome")).as(what).isEqualTo("failure");
            soft.assertThat(p.text("error.type")).as(what).isNotNull();
            soft.assertThat(p.text("error.message")).as(what).isNotEmpty();
            if (!side.provider.equals("SunJSSE")) {
                // what the public API cannot tell of a failed handshake is absent (SunJSSE's hooks may know the
                // version and suite negotiated before the failure)
                soft.assertThat(p.text("tls.version")).as(what).isNull();
                soft.assertThat(p.text("tls.cipher")).as(what).isNull();
            }
        }
        soft.assertAll();
    }

    /**
     * For a socket, the record's {@code client.port} is the client's port the program printed, and its address is
     * the loopback address it had; absent where it cannot be told any more (a socket the implementation closed on
     * failure), never the wildcard address a closed socket answers with.
     */
    static void socketRecordHasTheClientPort(Pair p) {
        assertThat(p.text("client.port")).as(p.toString()).isEqualTo(p.line.key);
        assertThat(p.text("client.address")).as(p.toString()).isIn("127.0.0.1", null);
    }

    /**
     * The scrape agrees with the log: {@code tls_handshakes_total} by (role, protocol, cipher_suite, resumed,
     * result, provider) equals the JSON lines, with {@code resumed="unknown"} where the log leaves
     * {@code tls.resumed} out; the duration histogram counted each handshake once.
     */
    static void scrapeAgreesWithLog(Scrape scrape, Records records) {
        Map<String, Integer> logged = new TreeMap<>();
        for (JsonNode r : records) {
            String version = text(r, "tls.version");
            String resumed = text(r, "tls.resumed");
            logged.merge(String.join(" ", text(r, "tls_agent.role"), version == null ? "none" : "TLSv" + version,
                    String.valueOf(text(r, "tls.cipher") == null ? "none" : text(r, "tls.cipher")),
                    resumed == null ? "unknown" : resumed,
                    "success".equals(text(r, "event.outcome")) ? "success" : text(r, "error.type"),
                    text(r, "tls_agent.provider")), 1, Integer::sum);
        }
        Map<String, Integer> counted = new TreeMap<>();
        for (Scrape.Sample s : scrape.named("tls_handshakes_total")) {
            if (s.value != 0) {
                counted.merge(String.join(" ", s.labels.get("role"), s.labels.get("protocol"),
                        s.labels.get("cipher_suite"), s.labels.get("resumed"), s.labels.get("result"),
                        s.labels.get("provider")), (int) s.value, Integer::sum);
            }
        }
        assertThat(counted).as("tls_handshakes_total by labels vs JSON lines; " + records).isEqualTo(logged);
        assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(records.size());
        assertThat(scrape.sum("tls_handshake_duration_seconds_count")).isEqualTo(records.size());
    }

    /** The handshakes of one provider in the scrape: {@code sum(tls_handshakes_total{provider=...})}. */
    static double scraped(Scrape scrape, String provider) {
        return scrape.sum("tls_handshakes_total", l -> provider.equals(l.get("provider")));
    }

    /**
     * Nothing on stderr but the agent's start line: the libraries' own warnings are silenced in the programs
     * (Netty logs through java.util.logging, JDK 24+ allows their native libraries), so anything else comes from the
     * agent.
     */
    static void stderrIsOnlyTheStartLine(ForkedJvm jvm) {
        assertThat(jvm.stderr()).as("stderr").hasSize(1);
        assertThat(jvm.stderr().get(0)).startsWith("[tls-agent] ").contains("started");
    }

    /** JVM options for the forked programs: JDK 24+ warns on stderr when a library loads its native code unless allowed. */
    static String[] nativeAccess() throws Exception {
        return ForkedJvm.javaFeature() >= 24 ? new String[] {"--enable-native-access=ALL-UNNAMED"} : new String[0];
    }
}
