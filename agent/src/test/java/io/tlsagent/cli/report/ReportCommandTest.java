package io.tlsagent.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on hand-made log lines: counts, verdicts, malformed input, limits and the command line. */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    private static final String GCM12 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    private static final String CBC12 = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

    @TempDir
    Path dir;

    /** One line as the agent writes it (the fields the report reads), role server. */
    static final class Line {
        String timestamp = "2026-11-28T10:00:00.123Z";
        String role = "server";
        boolean success = true;
        String version = "1.3";
        String cipher = "TLS_AES_256_GCM_SHA384";
        String sni;
        String clientAddress = "10.0.0.1";
        String errorType;
        String ja4;
        String legacyVersion;
        List<String> versions = List.of();
        List<String> suites = List.of();
        String certNotAfter;
        String curve;
        List<String> groups = List.of();

        Line hello(String ja4, String legacy, List<String> versions, List<String> suites) {
            this.ja4 = ja4;
            this.legacyVersion = legacy;
            this.versions = versions;
            this.suites = suites;
            return this;
        }

        String json() {
            StringBuilder tls = new StringBuilder();
            if (success) {
                tls.append("\"version_protocol\":\"tls\",\"version\":\"").append(version).append("\",\"cipher\":\"")
                        .append(cipher).append("\",");
                if (curve != null) {
                    tls.append("\"curve\":").append(quote(curve)).append(",");
                }
            }
            tls.append("\"established\":").append(success);
            StringBuilder client = new StringBuilder();
            if (sni != null) {
                client.append("\"server_name\":").append(quote(sni));
            }
            if (!client.toString().isEmpty()) {
                tls.append(",\"client\":{").append(client).append("}");
            }
            if (certNotAfter != null) {
                tls.append(",\"server\":{\"subject\":\"CN=soon\",\"not_after\":\"").append(certNotAfter)
                        .append("\",\"hash\":{\"sha256\":\"AB12\"}}");
            }
            StringBuilder agent = new StringBuilder("\"role\":\"" + role + "\",\"api\":\"SSLSocket\"");
            if (ja4 != null) {
                agent.append(",\"client_hello\":{\"legacy_version\":\"").append(legacyVersion).append("\"");
                if (!versions.isEmpty()) {
                    agent.append(",\"versions\":").append(array(versions));
                }
                if (!groups.isEmpty()) {
                    agent.append(",\"groups\":").append(array(groups));
                }
                agent.append(",\"cipher_suites\":").append(array(suites)).append(",\"ja4\":\"").append(ja4)
                        .append("\"}");
            }
            return "{\"@timestamp\":\"" + timestamp + "\",\"ecs\":{\"version\":\"8.11.0\"},\"event\":{\"kind\":\"event\","
                    + "\"action\":\"tls-handshake\",\"outcome\":\"" + (success ? "success" : "failure") + "\"},"
                    + "\"tls\":{" + tls + "},\"client\":{\"address\":\"" + clientAddress + "\",\"port\":5000},"
                    + "\"server\":{\"address\":\"127.0.0.1\",\"port\":443}"
                    + (success ? "" : ",\"error\":{\"type\":\"" + errorType + "\",\"message\":\"it broke\"}")
                    + ",\"service\":{\"name\":\"svc\"},\"tls_agent\":{" + agent + "}}";
        }

        private static String array(List<String> items) {
            List<String> quoted = new ArrayList<>();
            for (String i : items) {
                quoted.add(quote(i));
            }
            return "[" + String.join(",", quoted) + "]";
        }

        private static String quote(String s) {
            try {
                return JSON.writeValueAsString(s);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Line modern() {
        return new Line().hello("t13d_modern", "TLSv1.2", List.of("TLSv1.3", "TLSv1.2"), concat(TLS13_SUITES, GCM12));
    }

    /** Offers TLS 1.2 only (no supported_versions), CBC and GCM; negotiated CBC. */
    static Line old() {
        Line l = new Line().hello("t12d_old", "TLSv1.2", List.of(), List.of(CBC12, GCM12,
                "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));
        l.version = "1.2";
        l.cipher = CBC12;
        l.clientAddress = "10.0.0.2";
        return l;
    }

    /** Offers TLS 1.1 at most, CBC only. */
    static Line ancient() {
        Line l = new Line().hello("t11d_ancient", "TLSv1.1", List.of(), List.of(CBC12));
        l.version = "1.1";
        l.cipher = CBC12;
        l.clientAddress = "10.0.0.3";
        return l;
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private static final class Result {
        int code;
        String out;
        String err;

        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Result r = new Result();
        r.code = ReportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    private static JsonNode rowOf(JsonNode section, String field, String value) {
        for (JsonNode row : section.get("rows")) {
            if (value.equals(row.path(field).asText())) {
                return row;
            }
        }
        throw new AssertionError("no row with " + field + "=" + value + " in " + section);
    }

    @Test
    void countsVersionsServerNamesAndClients() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Line m = modern();
            m.sni = "api.example";
            lines.add(m.json());
        }
        for (int i = 0; i < 3; i++) {
            lines.add(old().json());
        }
        Line late = old();
        late.timestamp = "2026-11-28T12:00:00Z";
        lines.add(late.json());
        Result r = run("--json", write("a.jsonl", lines).toString());
        assertThat(r.code).as(r.err).isZero();
        JsonNode j = r.json();
        assertThat(j.get("records").asLong()).isEqualTo(9);
        assertThat(rowOf(j.get("versions"), "version", "TLSv1.3").get("count").asLong()).isEqualTo(5);
        assertThat(rowOf(j.get("versions"), "version", "TLSv1.2").get("count").asLong()).isEqualTo(4);
        JsonNode api = rowOf(j.get("by_server_name"), "server_name", "api.example");
        assertThat(api.get("count").asLong()).isEqualTo(5);
        assertThat(api.get("role").asText()).isEqualTo("server");
        JsonNode none = rowOf(j.get("by_server_name"), "server_name", "(none)");
        assertThat(none.get("count").asLong()).isEqualTo(4);
        assertThat(none.get("last_seen").asText()).isEqualTo("2026-11-28T12:00:00Z");
        JsonNode oldClient = rowOf(j.get("by_client"), "ja4", "t12d_old");
        assertThat(oldClient.get("cipher").asText()).isEqualTo(CBC12);
        assertThat(oldClient.get("highest_offered").asText()).isEqualTo("TLSv1.2");
        assertThat(j.get("below_tls13").get("rows")).hasSize(1);
        assertThat(rowOf(j.get("below_tls13"), "ja4", "t12d_old").get("below_tls12").asText()).isEqualTo("no");
    }

    @Test
    void whatIfOnlyTls13() throws Exception {
        Line noHello = new Line();
        noHello.version = "1.2";
        noHello.cipher = GCM12;
        Line modernOn12 = modern();
        modernOn12.version = "1.2";
        modernOn12.cipher = GCM12;
        Path log = write("a.jsonl", List.of(modern().json(), modernOn12.json(), old().json(), ancient().json(),
                noHello.json()));
        Result r = run("--json", "--what-if", "protocols=TLSv1.3", log.toString());
        JsonNode w = r.json().get("what_if");
        assertThat(rowOf(w, "ja4", "t13d_modern").get("verdict").asText()).isEqualTo("falls back");
        assertThat(rowOf(w, "ja4", "t12d_old").get("verdict").asText()).isEqualTo("fails");
        assertThat(rowOf(w, "ja4", "t12d_old").get("why").asText()).isEqualTo("offers at most TLSv1.2");
        assertThat(rowOf(w, "ja4", "t11d_ancient").get("why").asText()).isEqualTo("offers at most TLSv1.1");
        assertThat(rowOf(w, "ja4", Report.NO_HELLO).get("verdict").asText()).isEqualTo("cannot tell");
        assertThat(w.get("totals").get("fails").get("clients").asLong()).isEqualTo(2);
        assertThat(w.get("caveat").asText()).contains("server's own preferences");
        // The old client's legacy version TLSv1.1 without supported_versions counts as TLS 1.1 and below.
        assertThat(rowOf(r.json().get("below_tls13"), "ja4", "t11d_ancient").get("below_tls12").asText())
                .isEqualTo("yes");

        Result table = run("--what-if", "protocols=TLSv1.3", log.toString());
        assertThat(table.out).contains("What if protocols=TLSv1.3?")
                .containsPattern("t12d_old +fails +1 ")
                .contains("Clients by verdict: fails: 2 (2 handshakes)");
    }

    @Test
    void postQuantumReadinessByServerNameAndByClientWithItsGroups() throws Exception {
        Line pqOffered = modern();
        pqOffered.ja4 = "t13d_pq";
        pqOffered.groups = List.of("X25519MLKEM768", "x25519", "secp256r1");
        pqOffered.curve = "x25519";
        pqOffered.sni = "api.example.com";
        Line pqNegotiated = modern();
        pqNegotiated.ja4 = "t13d_pq";
        pqNegotiated.groups = pqOffered.groups;
        pqNegotiated.curve = "X25519MLKEM768";
        pqNegotiated.role = "client";
        pqNegotiated.sni = "pq.example.net";
        Line classical = modern();
        classical.groups = List.of("x25519", "secp256r1");
        classical.curve = "x25519";
        classical.sni = "api.example.com";
        Line unknown = new Line(); // no ClientHello, no group (e.g. a library whose group the agent cannot read)
        unknown.sni = "api.example.com";
        Path log = write("a.jsonl", List.of(pqOffered.json(), pqNegotiated.json(), classical.json(),
                classical.json(), unknown.json()));

        JsonNode pq = run("--json", log.toString()).json().get("post_quantum");
        JsonNode api = rowOf(pq, "key", "api.example.com");
        assertThat(api.get("role").asText()).isEqualTo("server");
        assertThat(List.of(api.get("pq_negotiated").asLong(), api.get("pq_offered_only").asLong(),
                api.get("neither").asLong(), api.get("cannot_tell").asLong())).containsExactly(0L, 1L, 2L, 1L);
        JsonNode net = rowOf(pq, "key", "pq.example.net");
        assertThat(net.get("role").asText()).isEqualTo("client");
        assertThat(net.get("pq_negotiated").asLong()).isEqualTo(1);
        // one row per JA4 and offered groups: JA4 alone leaves the group values out
        // by role too: this JVM's own ClientHellos (client) apart from its clients' (server)
        for (JsonNode row : pq.get("rows")) {
            if (row.get("key").asText().equals("t13d_pq")) {
                assertThat(row.get("offered_groups").toString())
                        .isEqualTo("[\"X25519MLKEM768\",\"x25519\",\"secp256r1\"]");
                assertThat(row.get(row.get("role").asText().equals("server") ? "pq_offered_only" : "pq_negotiated")
                        .asLong()).as(row.toString()).isEqualTo(1);
            }
        }
        assertThat(rowOf(pq, "key", "t13d_modern").get("neither").asLong()).isEqualTo(2);
        assertThat(rowOf(pq, "key", Report.NO_HELLO).get("cannot_tell").asLong()).isEqualTo(1);
        assertThat(pq.get("rows").get(0).has("what_if")).isFalse();

        JsonNode w = run("--json", "--what-if", "groups=X25519MLKEM768,x25519", log.toString()).json();
        assertThat(w.has("what_if")).as("groups= has its own column, not the versions' what-if").isFalse();
        JsonNode rows = w.get("post_quantum");
        assertThat(rowOf(rows, "key", "t13d_pq").get("what_if").asText()).isEqualTo("post-quantum (X25519MLKEM768)");
        assertThat(rowOf(rows, "key", "t13d_modern").get("what_if").asText()).isEqualTo("classical (x25519)");
        assertThat(rowOf(rows, "key", Report.NO_HELLO).get("what_if").asText()).isEqualTo("cannot tell");
        JsonNode only384 = run("--json", "--what-if", "groups=secp384r1", log.toString()).json().get("post_quantum");
        assertThat(rowOf(only384, "key", "t13d_pq").get("what_if").asText()).isEqualTo("fails (no group in common)");

        Result table = run("--what-if", "groups=X25519MLKEM768", log.toString());
        assertThat(table.out).contains("Post-quantum readiness").contains("WHAT IF GROUPS=X25519MLKEM768")
                .containsPattern("t13d_pq +server +X25519MLKEM768, x25519, secp256r1 +0 +1 +0 +0 .*post-quantum");
        assertThat(run("--what-if", "groups=", "a").code).isEqualTo(2);
    }

    @Test
    void denyCiphersJudgesAlternativesAtTheOfferedVersions() throws Exception {
        Line tls13Only = new Line().hello("t13d_only", "TLSv1.2", List.of("TLSv1.3"), List.of(
                "TLS_AES_128_GCM_SHA256"));
        tls13Only.cipher = "TLS_AES_128_GCM_SHA256";
        Path log = write("a.jsonl", List.of(modern().json(), old().json(), ancient().json(), tls13Only.json()));
        // The default deny list (CBC among others): old has GCM as an alternative, ancient has none.
        JsonNode d = run("--json", log.toString()).json().get("denied_ciphers");
        assertThat(rowOf(d, "ja4", "t12d_old").get("alternative").asText()).isEqualTo("yes");
        assertThat(rowOf(d, "ja4", "t12d_old").get("alternatives").toString()).isEqualTo("[\"" + GCM12 + "\"]");
        assertThat(rowOf(d, "ja4", "t11d_ancient").get("alternative").asText()).isEqualTo("no");
        assertThat(d.get("rows")).hasSize(2);

        // Denying AES-256 in TLS 1.3 and every TLS 1.2 GCM suite: a TLS 1.2 suite is no alternative at TLS 1.3.
        JsonNode w = run("--json", "--what-if", "deny-ciphers=TLS_AES_256*,*_GCM_*", log.toString()).json()
                .get("what_if");
        assertThat(rowOf(w, "ja4", "t13d_modern").get("verdict").asText()).isEqualTo("fails");
        assertThat(rowOf(w, "ja4", "t12d_old").get("verdict").asText()).isEqualTo("unaffected"); // CBC is allowed
        assertThat(rowOf(w, "ja4", "t13d_only").get("verdict").asText()).isEqualTo("fails");

        JsonNode w2 = run("--json", "--what-if", "deny-ciphers=TLS_AES_256_GCM_SHA384", log.toString()).json()
                .get("what_if");
        assertThat(rowOf(w2, "ja4", "t13d_modern").get("verdict").asText()).isEqualTo("falls back");
        assertThat(rowOf(w2, "ja4", "t13d_modern").get("why").asText()).contains("TLS_AES_128_GCM_SHA256");
        assertThat(rowOf(w2, "ja4", "t12d_old").get("verdict").asText()).isEqualTo("unaffected");
        assertThat(rowOf(w2, "ja4", "t13d_only").get("verdict").asText()).isEqualTo("unaffected");
    }

    @Test
    void malformedLinesAreCountedNeverFatal() throws Exception {
        Line noRole = modern();
        noRole.role = "both";
        Line badTime = modern();
        badTime.timestamp = "yesterday";
        List<String> lines = List.of(modern().json(), "not json", "[1,2]", "{\"event\":{\"action\":\"other\"}}",
                "", noRole.json(), badTime.json(), modern().json() + " {}", "{\"unclosed\":", "\u0000\u0001",
                "{\"@timestamp\":\"2026-11-28T10:00:00Z\",\"event\":{\"action\":\"tls-handshake\",\"outcome\":"
                        + "\"success\"},\"tls_agent\":{\"role\":\"server\"}}",
                "x".repeat(ReportCommand.MAX_LINE + 10), modern().json().replace("\"version_protocol\":\"tls\",", ""),
                modern().json() + "\r");
        Result r = run("--json", write("a.jsonl", lines).toString());
        assertThat(r.code).isZero();
        JsonNode j = r.json();
        assertThat(j.get("lines").asLong()).isEqualTo(lines.size());
        assertThat(j.get("records").asLong()).isEqualTo(2); // the first, and the last (its \r\n is a line end)
        JsonNode skipped = j.get("skipped");
        assertThat(skipped.get("not valid JSON").asLong()).isEqualTo(3);
        assertThat(skipped.get("not one JSON object").asLong()).isEqualTo(1);
        assertThat(skipped.get("not a JSON object").asLong()).isEqualTo(1);
        assertThat(skipped.get("not a handshake record (event.action)").asLong()).isEqualTo(1);
        assertThat(skipped.get("empty line").asLong()).isEqualTo(1);
        assertThat(skipped.get("no tls_agent.role").asLong()).isEqualTo(1);
        assertThat(skipped.get("bad @timestamp").asLong()).isEqualTo(1);
        assertThat(skipped.get("success without tls.version or tls.cipher").asLong()).isEqualTo(2);
        assertThat(skipped.get("line longer than " + ReportCommand.MAX_LINE + " bytes").asLong()).isEqualTo(1);
        long sum = 0;
        for (JsonNode n : skipped) {
            sum += n.asLong();
        }
        assertThat(sum + 2).isEqualTo(lines.size());
    }

    @Test
    void gzipGivesTheSameReportAsPlain() throws Exception {
        List<String> lines = List.of(modern().json(), old().json(), "junk", ancient().json());
        Path plain = write("a.jsonl", lines);
        Path gz = dir.resolve("a.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        JsonNode a = run("--json", "--what-if", "protocols=TLSv1.3", plain.toString()).json();
        JsonNode b = run("--json", "--what-if", "protocols=TLSv1.3", gz.toString()).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("inputs");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("inputs");
        ((com.fasterxml.jackson.databind.node.ObjectNode) a.get("expiring_certificates")).remove("notes");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("expiring_certificates")).remove("notes");
        assertThat(b).isEqualTo(a);
    }

    @Test
    void mapsAreCappedAndOverflowIsReported() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Line l = modern();
            l.sni = "h" + i + ".flood.test";
            l.ja4 = "t13d_" + i;
            lines.add(l.json());
        }
        JsonNode j = run("--json", "--max-keys", "10", write("a.jsonl", lines).toString()).json();
        JsonNode names = j.get("overflow").get("server_names");
        assertThat(names.get("keys").asLong()).isEqualTo(11); // 10 and "(other)"
        assertThat(names.get("overflowed_records").asLong()).isEqualTo(190);
        assertThat(names.get("overflowed_keys").asLong()).isBetween(185L, 195L);
        assertThat(j.get("overflow").get("clients").get("overflowed_records").asLong()).isEqualTo(190);
        assertThat(rowOf(j.get("by_server_name"), "server_name", "(other)").get("count").asLong()).isEqualTo(190);
        assertThat(run("--max-keys", "10", dir.resolve("a.jsonl").toString()).out)
                .contains("server names: about ").contains("with 190 handshakes");
    }

    @Test
    void expiringCertificatesWithinTheWindow() throws Exception {
        Line soon = modern();
        soon.certNotAfter = Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Line failing = old();
        failing.success = false;
        failing.errorType = "certificate_expired";
        failing.certNotAfter = soon.certNotAfter;
        Path log = write("a.jsonl", List.of(soon.json(), failing.json()));
        JsonNode listed = run("--json", log.toString()).json().get("expiring_certificates");
        assertThat(listed.get("rows")).hasSize(1);
        JsonNode cert = listed.get("rows").get(0);
        assertThat(cert.get("subject").asText()).isEqualTo("CN=soon");
        assertThat(cert.get("days_left").asLong()).isBetween(9L, 10L);
        assertThat(cert.get("presented_by").asText()).isEqualTo("server");
        assertThat(cert.get("handshakes").asLong()).isEqualTo(2);
        assertThat(run("--json", "--expiring-days", "5", log.toString()).json().get("expiring_certificates")
                .get("rows")).isEmpty();
        JsonNode failure = run("--json", log.toString()).json().get("failures").get("rows").get(0);
        assertThat(failure.get("error_type").asText()).isEqualTo("certificate_expired");
        assertThat(failure.get("peer").asText()).isEqualTo("10.0.0.2");
        assertThat(failure.get("example").asText()).isEqualTo("it broke");
    }

    @Test
    void hostileNamesReachNoTerminalAsControlCharacters() throws Exception {
        Line l = modern();
        l.sni = "evil\u001b[31m\nname\u0007" + "x".repeat(300);
        Result r = run(write("a.jsonl", List.of(l.json())).toString());
        assertThat(r.out).doesNotContain("\u001b").doesNotContain("\u0007").contains("evil?[31m?name?xxx")
                .doesNotContain("x".repeat(100));
    }

    @Test
    void usageAndUnreadableInput() throws Exception {
        assertThat(run().code).isEqualTo(2);
        assertThat(run("--nope", "a").code).isEqualTo(2);
        assertThat(run("--what-if", "protocols=TLSv9", "a").code).isEqualTo(2);
        assertThat(run("--what-if", "deny-ciphers=", "a").code).isEqualTo(2);
        assertThat(run("--top", "-1", "a").code).isEqualTo(2);
        Result help = run("--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("usage: java -jar tls-agent.jar report");
        Result missing = run(dir.resolve("absent.jsonl").toString());
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).contains("cannot read " + dir.resolve("absent.jsonl") + ": no such file");
        Result directory = run(dir.toString());
        assertThat(directory.code).isEqualTo(1);
        assertThat(directory.err).contains(": it is a directory");
        Path locked = write("locked.jsonl", List.of(modern().json()));
        if (locked.toFile().setReadable(false) && !Files.isReadable(locked)) { // root reads anything
            assertThat(run(locked.toString()).err).contains(": permission denied");
        }
        // Nothing to report on: said, with what the lines were, and not a success.
        Result empty = run(write("empty.jsonl", List.of()).toString());
        assertThat(empty.code).isEqualTo(1);
        assertThat(empty.err).contains("no handshake line in").contains("(0 lines)");
        Result other = run(write("other.jsonl", List.of("{\"message\":\"hello\"}", "not json")).toString());
        assertThat(other.code).isEqualTo(1);
        assertThat(other.err).contains("no handshake line in").contains("2 lines");
        assertThat(other.out).isEmpty();
        // A gzip file cut short: the lines before the cut are reported, and the exit code says it.
        Path gz = dir.resolve("cut.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 2000; i++) {
                out.write((modern().json() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = bytes.toByteArray();
        Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
        Result cut = run("--json", gz.toString());
        assertThat(cut.code).isEqualTo(1);
        assertThat(cut.err).contains("read error");
        assertThat(cut.json().get("records").asLong()).isBetween(1L, 1999L);
    }
}
