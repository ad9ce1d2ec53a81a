package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.compat.apps.WireAnatomyApp;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.Scrape;
import io.tlsagent.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake anatomy of engines other than SunJSSE, read from the bytes they handle, against what Wireshark's
 * tshark dissects from a loopback capture of the same connections. One JVM with the agent ({@link WireAnatomyApp},
 * full log lines): a Netty server on its OpenSSL engine (BoringSSL) and a Conscrypt 2.7 server socket, each with
 * its library's default groups; clients: Netty-OpenSSL and Conscrypt (both offer and get X25519MLKEM768), Bouncy
 * Castle's JSSE through Netty (it shares only an x25519 key, so BoringSSL asks again with a HelloRetryRequest for
 * X25519MLKEM768), the JDK (classical only: x25519), and {@code openssl s_client} with one group each (OpenSSL 3.0
 * has no ML-KEM) and once with TLS 1.2 (the group is then in the ServerKeyExchange).
 *
 * <p>Each record is matched with its connection by {@code client.port}. The oracles: tshark's JA3/JA3S (MD5 and
 * string), its offered groups and key_share groups (compared as code points: tshark 4.0 has no name for 0x11EC), a
 * JA4 computed here from tshark's fields (tshark 4.0 has none), and each library's own word on the group. Not
 * tagged {@code jdk}: the subject is the libraries, which behave the same on every JDK.
 */
class WireAnatomyIT {

    /** The openssl clients of the Netty server: scenario to {@code s_client} options. */
    static final Map<String, List<String>> OPENSSL = new LinkedHashMap<>();

    static {
        OPENSSL.put("openssl-x25519", List.of("-groups", "x25519"));
        OPENSSL.put("openssl-p256", List.of("-groups", "P-256"));
        OPENSSL.put("openssl-p384", List.of("-groups", "P-384"));
        // TLS 1.2: an ECDSA certificate's curve (the test's is P-256) must be among the client's groups
        OPENSSL.put("openssl-tls12", List.of("-tls1_2", "-groups", "P-256"));
    }

    /**
     * Scenario to what should negotiate, by the research on these libraries' defaults (tshark checks it too): the
     * group's IANA name, and the group of a HelloRetryRequest (null: none).
     */
    static final Map<String, String[]> PLANNED = new LinkedHashMap<>();

    static {
        PLANNED.put("netty", new String[] {"X25519MLKEM768", null});
        PLANNED.put("split", new String[] {"X25519MLKEM768", null});
        PLANNED.put("split-relayed", new String[] {"X25519MLKEM768", null});
        PLANNED.put("conscrypt", new String[] {"X25519MLKEM768", null});
        PLANNED.put("bc", new String[] {"X25519MLKEM768", "X25519MLKEM768"});
        PLANNED.put("jdk", new String[] {"x25519", null});
        PLANNED.put("openssl-x25519", new String[] {"x25519", null});
        PLANNED.put("openssl-p256", new String[] {"secp256r1", null});
        PLANNED.put("openssl-p384", new String[] {"secp384r1", null});
        PLANNED.put("openssl-tls12", new String[] {"secp256r1", null});
    }

    /**
     * The groups' code points by their names in the IANA TLS Supported Groups registry (those that occur here),
     * written out for this test: nothing taken from the agent.
     */
    static final Map<String, Integer> IANA_GROUPS = Map.ofEntries(Map.entry("secp256r1", 23),
            Map.entry("secp384r1", 24), Map.entry("secp521r1", 25), Map.entry("x25519", 29), Map.entry("x448", 30),
            Map.entry("brainpoolP256r1tls13", 31), Map.entry("brainpoolP384r1tls13", 32),
            Map.entry("brainpoolP512r1tls13", 33), Map.entry("ffdhe2048", 256), Map.entry("ffdhe3072", 257),
            Map.entry("ffdhe4096", 258), Map.entry("ffdhe6144", 259), Map.entry("ffdhe8192", 260),
            Map.entry("MLKEM512", 512), Map.entry("MLKEM768", 513), Map.entry("MLKEM1024", 514),
            Map.entry("SecP256r1MLKEM768", 4587), Map.entry("X25519MLKEM768", 4588),
            Map.entry("SecP384r1MLKEM1024", 4589));
    /** The post-quantum ones (hybrid or pure ML-KEM), by the same registry. */
    static final Set<String> POST_QUANTUM = Set.of("MLKEM512", "MLKEM768", "MLKEM1024", "SecP256r1MLKEM768",
            "X25519MLKEM768", "SecP384r1MLKEM1024");
    /** BoringSSL's own names of groups (what Netty's and Conscrypt's APIs return). */
    static final Map<String, Integer> BORINGSSL_GROUPS = Map.of("X25519", 29, "P-256", 23, "P-384", 24, "P-521",
            25, "X25519MLKEM768", 4588, "MLKEM1024", 514);
    /** The extensions' code points by their IANA names (those a ServerHello here carries). */
    static final Map<String, Integer> IANA_EXTENSIONS = Map.of("server_name", 0, "ec_point_formats", 11,
            "application_layer_protocol_negotiation", 16, "extended_master_secret", 23, "session_ticket", 35,
            "supported_versions", 43, "key_share", 51, "renegotiation_info", 0xff01);
    /** TLS versions as JSSE names them, by code point. */
    static final Map<Integer, String> VERSIONS = Map.of(0x0304, "TLSv1.3", 0x0303, "TLSv1.2", 0x0302, "TLSv1.1",
            0x0301, "TLSv1");

    @TempDir
    static Path dir;
    static ForkedJvm jvm;
    static Records records;
    static Scrape scrape;
    static List<HandshakeLine> lines;
    /** Scenario by the client's port. */
    static final Map<String, String> scenarios = new TreeMap<>();
    static Map<Integer, CapturedHandshake> wire;

    @BeforeAll
    static void run() throws Exception {
        TestPki.createIn(dir);
        Path capture = dir.resolve("wire.pcapng");
        int nettyPort;
        int conscryptPort;
        int relayPort;
        jvm = ForkedJvm.builder(dir, WireAnatomyApp.class).keepLogsAs("WireAnatomyIT").agentArgs("log_detail=full")
                .jvmArgs(EngineChecks.nativeAccess()).args(dir.toString()).start();
        try {
            jvm.awaitStdout("LISTENING", 90);
            nettyPort = Integer.parseInt(jvm.value("NETTY_PORT"));
            conscryptPort = Integer.parseInt(jvm.value("CONSCRYPT_PORT"));
            try (ChunkingRelay relay = new ChunkingRelay(nettyPort, 200);
                    Tshark tshark = Tshark.capture(capture, nettyPort, conscryptPort, relay.port())) {
                relayPort = relay.port();
                jvm.step("connect " + relayPort);
                for (String line : jvm.values("CONN")) {
                    String[] f = line.split(" ");
                    scenarios.put(f[1], f[0]);
                }
                relay.relayedFrom.forEach((client, relayed) -> scenarios.put(relayed.toString(), "split-relayed"));
                for (Map.Entry<String, List<String>> o : OPENSSL.entrySet()) {
                    int before = serverLines().size();
                    OutsidePeers.openssl(nettyPort, o.getValue().toArray(new String[0]));
                    scenarios.put(awaitServerLine(before).key, o.getKey());
                }
                tshark.stop();
            }
            scrape = jvm.scrapeOnceExported(); // after the export thread had every record
            assertThat(jvm.finish()).as("exit code; stderr: %s", jvm.stderr()).isZero();
            records = jvm.records();
            lines = HandshakeLine.of(jvm);
        } finally {
            jvm.close();
        }
        // kept beside the fork's logs, for a look with Wireshark after the run
        Path logs = Files.createDirectories(Paths.get(System.getProperty("tlsagent.test.logs", "target/fork-logs")));
        Files.copy(capture, logs.resolve("WireAnatomyIT.pcapng"), StandardCopyOption.REPLACE_EXISTING);
        wire = Tshark.handshakes(capture, nettyPort, conscryptPort, relayPort);
    }

    private static List<HandshakeLine> serverLines() {
        return HandshakeLine.of(jvm, "server");
    }

    /** The server's line of the connection just made (10 s at the most): the handshake ends there a moment later. */
    private static HandshakeLine awaitServerLine(int before) throws InterruptedException {
        for (int i = 0; i < 1000 && serverLines().size() <= before; i++) {
            Thread.sleep(10);
        }
        List<HandshakeLine> server = serverLines();
        assertThat(server).as("a new server line after %d: %s", before, server).hasSize(before + 1);
        return server.get(before);
    }

    // ---- the program and the capture

    @Test
    void theProgramAndTheCaptureHaveEveryConnection() {
        assertThat(scenarios.values()).as("scenario by client port").containsExactlyInAnyOrderElementsOf(
                PLANNED.keySet());
        assertThat(lines).as("one line per side of each connection, except openssl's").hasSize(14)
                .allSatisfy(l -> assertThat(l.ok).as(l.toString()).isTrue());
        assertThat(jvm.value("SERVER_HANDSHAKES")).isEqualTo("5");
        assertThat(wire.keySet().stream().map(String::valueOf).collect(Collectors.toSet()))
                .as("tshark's connections: %s", wire).isEqualTo(scenarios.keySet());
        for (Map.Entry<String, String> s : scenarios.entrySet()) {
            CapturedHandshake w = wire.get(Integer.valueOf(s.getKey()));
            String[] planned = PLANNED.get(s.getValue());
            assertThat(w.negotiatedGroup()).as("tshark, %s: %s", s.getValue(), w)
                    .isEqualTo(IANA_GROUPS.get(planned[0]));
            assertHelloRetry(w, planned[1] == null ? null : IANA_GROUPS.get(planned[1]), s.getValue());
            // the relay passes the ServerHello to the client, the ClientHello to the server in pieces
            if (s.getValue().equals("split")) {
                assertThat(w.serverHello().segments).as("relayed in pieces: " + s).isGreaterThan(4);
            } else if (s.getValue().equals("split-relayed")) {
                assertThat(w.firstClientHello().segments).as("relayed in pieces: " + s).isGreaterThan(4);
            }
        }
    }

    /** The client and server records of each connection: one each (openssl's: the server's only). */
    @Test
    void exactlyOneRecordPerConnectionAndSide() {
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        for (Map.Entry<String, String> s : scenarios.entrySet()) {
            String scenario = s.getValue();
            Records r = records.where("client.port", s.getKey());
            expected.put(scenario, sides(scenario));
            actual.put(scenario, r.stream().map(x -> Records.text(x, "tls_agent.role") + ":"
                    + Records.text(x, "tls_agent.provider") + "/" + Records.text(x, "tls_agent.api")).sorted()
                    .collect(Collectors.joining(" ")));
        }
        assertThat(actual).as(records.toString()).isEqualTo(expected);
        assertThat(records).as("every record is of one of the connections").hasSize(14);
        assertThat(records.where("event.outcome", "success")).hasSize(14);
    }

    private static String sides(String scenario) {
        switch (scenario) {
            case "netty":
                return "client:Netty-OpenSSL/SSLEngine server:Netty-OpenSSL/SSLEngine";
            case "split":
                return "client:Netty-OpenSSL/SSLEngine";
            case "conscrypt":
                return "client:Conscrypt/SSLSocket server:Conscrypt/SSLSocket";
            case "bc":
                return "client:BCJSSE/SSLEngine server:Netty-OpenSSL/SSLEngine";
            case "jdk":
                return "client:SunJSSE/SSLSocket server:Conscrypt/SSLSocket";
            default:
                return "server:Netty-OpenSSL/SSLEngine";
        }
    }

    // ---- each record against tshark's view of its connection

    /** The record's JA3 (MD5 and string) are tshark's, of the first ClientHello; its JA3S of the final ServerHello. */
    @Test
    void ja3AndJa3sAreTsharks() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode r : records) {
            CapturedHandshake w = connection(r);
            String what = what(r);
            soft.assertThat(Records.text(r, "tls.client.ja3")).as("tls.client.ja3; " + what)
                    .isEqualTo(w.firstClientHello().ja3);
            soft.assertThat(Records.text(r, "tls_agent.client_hello.ja3")).as("client_hello.ja3; " + what)
                    .isEqualTo(w.firstClientHello().ja3Full);
            soft.assertThat(Records.text(r, "tls.server.ja3s")).as("tls.server.ja3s; " + what)
                    .isEqualTo(w.serverHello().ja3s);
            soft.assertThat(Records.text(r, "tls_agent.server_hello.ja3s")).as("server_hello.ja3s; " + what)
                    .isEqualTo(w.serverHello().ja3sFull);
        }
        soft.assertAll();
    }

    /** JA4 of the first ClientHello, as computed here from tshark's fields (tshark 4.0 has no JA4). */
    @Test
    void ja4IsWhatTsharksFieldsGive() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode r : records) {
            soft.assertThat(Records.text(r, "tls_agent.client_hello.ja4"))
                    .as(what(r))
                    .isEqualTo(connection(r).firstClientHello().ja4());
        }
        soft.assertAll();
    }

    /**
     * The first ClientHello's offered groups (tshark's supported_groups, in order, as code points; an unknown name is
     * written as its hex code point), versions, SNI and ALPN.
     */
    @Test
    void clientHelloIsTsharks() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode r : records) {
            CapturedHandshake.ClientHello hello = connection(r).firstClientHello();
            String what = what(r);
            soft.assertThat(codePoints(Records.texts(r, "tls_agent.client_hello.groups")))
                    .as("client_hello.groups; " + what).isEqualTo(hello.supportedGroups);
            soft.assertThat(Records.text(r, "tls_agent.client_hello.legacy_version")).as("legacy_version; " + what)
                    .isEqualTo(VERSIONS.get(hello.legacyVersion));
            soft.assertThat(Records.texts(r, "tls_agent.client_hello.versions")).as("client_hello.versions; " + what)
                    .isEqualTo(hello.supportedVersions.stream().filter(v -> !CapturedHandshake.grease(v))
                            .map(VERSIONS::get).collect(Collectors.toList()));
            soft.assertThat(Records.text(r, "tls_agent.client_hello.server_name")).as("SNI; " + what)
                    .isEqualTo(hello.serverName);
            soft.assertThat(Records.texts(r, "tls_agent.client_hello.alpn")).as("ALPN; " + what)
                    .isEqualTo(hello.alpn);
            soft.assertThat(Records.texts(r, "tls_agent.client_hello.cipher_suites")).as("suites; " + what)
                    .hasSize(hello.cipherSuites.size());
            soft.assertThat(Records.texts(r, "tls_agent.client_hello.extensions")).as("extensions; " + what)
                    .hasSize(hello.extensions.size());
        }
        soft.assertAll();
    }

    /** The final ServerHello's extensions, in the order sent (by their IANA names). */
    @Test
    void serverHelloIsTsharks() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode r : records) {
            soft.assertThat(Records.texts(r, "tls_agent.server_hello.extensions").stream()
                    .map(n -> IANA_EXTENSIONS.getOrDefault(n, -1)).collect(Collectors.toList()))
                    .as("server_hello.extensions; " + what(r))
                    .isEqualTo(connection(r).serverHello().extensions);
        }
        soft.assertAll();
    }

    /**
     * The timeline ({@code tls_agent.messages}) has the ClientHellos tshark saw (two after a HelloRetryRequest),
     * sent by the client ({@code out}) and received by the server ({@code in}).
     */
    @Test
    void timelineHasTheClientHellosTsharkSaw() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode r : records) {
            String role = Records.text(r, "tls_agent.role");
            List<String> hellos = new ArrayList<>();
            JsonNode messages = Records.node(r, "tls_agent.messages");
            if (messages != null) {
                messages.forEach(m -> {
                    if ("client_hello".equals(m.path("type").asText())) {
                        hellos.add(m.path("direction").asText());
                    }
                });
            }
            List<String> expected = new ArrayList<>();
            connection(r).clientHellos.forEach(h -> expected.add(role.equals("client") ? "out" : "in"));
            soft.assertThat(hellos).as("client_hello in tls_agent.messages; " + what(r))
                    .isEqualTo(expected);
        }
        soft.assertAll();
    }

    /**
     * The negotiated group ({@code tls.curve}) is the final ServerHello's key_share group (TLS 1.3) or the
     * ServerKeyExchange's curve (TLS 1.2); a HelloRetryRequest's group is {@code tls_agent.hello_retry_request.group}
     * and absent without one.
     */
    @Test
    void groupsAreTheKeySharesTsharkSaw() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode r : records) {
            CapturedHandshake w = connection(r);
            String what = what(r);
            soft.assertThat(codePoint(Records.text(r, "tls.curve"))).as("tls.curve; " + what)
                    .isEqualTo(w.negotiatedGroup());
            CapturedHandshake.ServerHello hrr = w.helloRetryRequest();
            soft.assertThat(codePoint(Records.text(r, "tls_agent.hello_retry_request.group")))
                    .as("hello_retry_request.group; " + what).isEqualTo(hrr == null ? null : hrr.selectedGroup);
        }
        soft.assertAll();
    }

    /** Each library's own word on the group (its API, printed by the program) is tshark's too. */
    @Test
    void theLibrariesSayTheSameGroup() {
        List<String> said = jvm.values("GROUP");
        assertThat(said).hasSize(14);
        SoftAssertions soft = new SoftAssertions();
        int compared = 0;
        for (String line : said) {
            String[] f = line.split(" ");
            String scenario = scenarios.get(f[1]);
            if (f[2].equals("?")) {
                soft.assertThat(scenario + " " + f[0]).as("only the JDK client has no group API")
                        .isEqualTo("jdk client");
                continue;
            }
            Integer group = f[2].matches("\\d+") ? Integer.valueOf(f[2]) : BORINGSSL_GROUPS.get(f[2]);
            soft.assertThat(group).as(line + " (" + scenario + ")")
                    .isEqualTo(wire.get(Integer.valueOf(f[1])).negotiatedGroup());
            compared++;
        }
        soft.assertAll();
        assertThat(compared).isEqualTo(13);
    }

    // ---- the scrape

    /**
     * {@code tls_key_exchange_groups_total} by role and group equals the records with that {@code tls.curve}, its
     * {@code post_quantum} label true exactly for the ML-KEM groups; {@code tls_client_hellos_total} counts the
     * ClientHellos that offered one as {@code post_quantum_offered="true"}.
     */
    @Test
    void scrapeCountsTheGroupsOfTheLog() {
        Map<String, Double> logged = new TreeMap<>();
        for (JsonNode r : records) {
            String group = Records.text(r, "tls.curve");
            if (group != null) {
                logged.merge(Records.text(r, "tls_agent.role") + " " + group + " " + POST_QUANTUM.contains(group),
                        1.0, Double::sum);
            }
        }
        Map<String, Double> counted = new TreeMap<>();
        for (Scrape.Sample s : scrape.named("tls_key_exchange_groups_total")) {
            if (s.value != 0) {
                counted.merge(s.labels.get("role") + " " + s.labels.get("group") + " " + s.labels.get("post_quantum"),
                        s.value, Double::sum);
            }
        }
        assertThat(counted).as(scrape.named("tls_key_exchange_groups_total").toString()).isEqualTo(logged);
        // netty, split, conscrypt, bc
        assertThat(logged).containsEntry("client X25519MLKEM768 true", 4.0)
                .containsEntry("server X25519MLKEM768 true", 4.0);

        for (String role : List.of("client", "server")) {
            long offered = records.role(role).where(r -> Records.texts(r, "tls_agent.client_hello.groups").stream()
                    .anyMatch(POST_QUANTUM::contains)).size();
            assertThat(scrape.sum("tls_client_hellos_total", l -> l.get("role").equals(role)
                    && l.get("post_quantum_offered").equals("true"))).as(role).isEqualTo(offered);
            assertThat(scrape.sum("tls_client_hellos_total", l -> l.get("role").equals(role)))
                    .as(role).isEqualTo(records.role(role).size());
        }
    }

    /** Every plaintext record of every handshake here was read: none is counted as unread, none has a parse error. */
    @Test
    void everyHandshakeWasReadWhole() {
        assertThat(scrape.named("tls_agent_wire_unread_total")).as("tls_agent_wire_unread_total").hasSize(1)
                .allSatisfy(s -> assertThat(s.value).isZero());
        assertThat(records.where(r -> Records.node(r, "tls_agent.parse_errors") != null)).as("parse_errors")
                .isEmpty();
    }

    @Test
    void agentStartedOnceAndStayedQuiet() {
        Checks.agentHealthy(jvm, scrape);
        EngineChecks.stderrIsOnlyTheStartLine(jvm);
    }

    // ---- helpers

    private static CapturedHandshake connection(JsonNode record) {
        String port = Records.text(record, "client.port");
        assertThat(port).as("client.port of %s", record).isNotNull();
        CapturedHandshake w = wire.get(Integer.valueOf(port));
        assertThat(w).as("tshark's connection of client port %s: %s", port, wire.keySet()).isNotNull();
        return w;
    }

    private static String scenario(JsonNode record) {
        return scenarios.get(Records.text(record, "client.port"));
    }

    /** For messages: the record's scenario and role, and the record. */
    private static String what(JsonNode record) {
        return scenario(record) + " " + Records.text(record, "tls_agent.role") + ": " + record;
    }

    /** A group's code point from its IANA name or its hex form ({@code 0x11ec}); null for null. */
    static Integer codePoint(String name) {
        if (name == null) {
            return null;
        }
        if (name.startsWith("0x")) {
            return Integer.parseInt(name.substring(2), 16);
        }
        Integer code = IANA_GROUPS.get(name);
        if (code == null) {
            throw new AssertionError("not a group name of the IANA registry that this test knows: " + name);
        }
        return code;
    }

    static List<Integer> codePoints(List<String> names) {
        List<Integer> out = new ArrayList<>();
        names.forEach(n -> out.add(codePoint(n)));
        return out;
    }

    /**
     * A HelloRetryRequest for {@code planned} (null: none) on a captured connection: then the first ClientHello
     * offered that group without a key for it, and the second shares only that group.
     */
    private static void assertHelloRetry(CapturedHandshake w, Integer planned, String scenario) {
        CapturedHandshake.ServerHello hrr = w.helloRetryRequest();
        if (planned == null) {
            assertThat(hrr).as("no HelloRetryRequest, %s: %s", scenario, w).isNull();
            assertThat(w.clientHellos).as(scenario).hasSize(1);
            return;
        }
        assertThat(hrr).as("a HelloRetryRequest, %s: %s", scenario, w).isNotNull();
        assertThat(hrr.selectedGroup).as(scenario).isEqualTo(planned);
        assertThat(w.clientHellos).as(scenario).hasSize(2);
        assertThat(w.firstClientHello().keyShares).as("the first ClientHello shared no key for it, " + scenario)
                .doesNotContain(planned);
        assertThat(w.firstClientHello().supportedGroups).as("but offered it, " + scenario).contains(planned);
        assertThat(w.clientHellos.get(1).keyShares).as(scenario).containsExactly(planned);
    }
}
