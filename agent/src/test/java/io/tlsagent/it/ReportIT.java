package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.TestPki;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tls-agent.jar report}, run as a separate process on a log written by the agent during real
 * handshakes: JDK clients and servers with TLS 1.3 and 1.2, {@code openssl s_client} limited to TLS 1.2 and one CBC
 * suite, and failing handshakes. Its counts must be the log's own, and its verdicts what those clients offered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CBC = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

    private Path dir;
    private Path log;
    private Records records;
    private TestPki pki;

    @BeforeAll
    void handshakes(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        pki = TestPki.createIn(dir);
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--steps",
                "socket-tls13-full,socket-tls13-resume,socket-tls12-full,engine-tls12-ticket,socket-version-mismatch,"
                        + "socket-untrusted", "--openssl-server", "--hold").start()) {
            jvm.awaitStdout("READY");
            String target = "127.0.0.1:" + jvm.value("OPENSSL-SERVER");
            String out = Openssl.run(List.of("openssl", "s_client", "-connect", target, "-servername", "localhost",
                    "-CAfile", dir.resolve(TestPki.CA_PEM).toString(), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"),
                    0);
            assertThat(Openssl.sessions(out)).as(out).hasSize(1);
            // (its "New, ..." line names the suite's first version; the session block says what was negotiated)
            assertThat(out).containsPattern("Protocol\\s*:\\s*TLSv1\\.2");
            Thread.sleep(300); // the server's record of it is written by then; stdin close follows
            assertThat(jvm.finish()).isZero();
            records = jvm.records();
            log = jvm.log;
        }
        assertThat(records.threadPrefix("openssl-server/")).hasSize(1);
    }

    @Test
    void countsAndVerdictsMatchTheLog() throws Exception {
        JsonNode report = JSON.readTree(report(List.of("--json", "--what-if", "protocols=TLSv1.3", log.toString())));

        assertThat(report.get("lines").asLong()).isEqualTo(records.size());
        assertThat(report.get("records").asLong()).isEqualTo(records.size());
        assertThat(report.get("skipped")).isEmpty();
        Map<String, Long> perVersion = records.stream().filter(r -> "success".equals(text(r, "event.outcome")))
                .collect(Collectors.groupingBy(r -> "TLSv" + text(r, "tls.version"), Collectors.counting()));
        assertThat(perVersion).containsOnlyKeys("TLSv1.3", "TLSv1.2");
        for (Map.Entry<String, Long> e : perVersion.entrySet()) {
            assertThat(row(report, "versions", "version", e.getKey()).get("count").asLong()).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
        long failed = records.stream().filter(r -> "failure".equals(text(r, "event.outcome"))).count();
        assertThat(report.get("failed").asLong()).isEqualTo(failed).isEqualTo(4);

        // openssl: server name localhost, TLS 1.2, the one CBC suite it offered.
        JsonNode openssl = records.threadPrefix("openssl-server/").get(0);
        String opensslJa4 = text(openssl, "tls_agent.client_hello.ja4");
        JsonNode byName = row(report, "by_server_name", "server_name", "localhost");
        assertThat(byName.get("role").asText()).isEqualTo("server");
        assertThat(byName.get("version").asText()).isEqualTo("TLSv1.2");
        assertThat(byName.get("cipher").asText()).isEqualTo(CBC);
        assertThat(byName.get("count").asLong()).isEqualTo(1);

        // The JDK client limited to TLS 1.2 and openssl -tls1_2 are below TLS 1.3; the TLS 1.3 client is not.
        String jdk12 = text(records.threadPrefix("socket-tls12-full/server").get(0), "tls_agent.client_hello.ja4");
        String jdk13 = text(records.threadPrefix("socket-tls13-full/server").get(0), "tls_agent.client_hello.ja4");
        assertThat(List.of(opensslJa4, jdk12, jdk13)).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(column(report, "below_tls13", "ja4")).containsExactlyInAnyOrder(opensslJa4, jdk12);
        assertThat(row(report, "below_tls13", "ja4", opensslJa4).get("highest_offered").asText()).isEqualTo("TLSv1.2");
        assertThat(row(report, "below_tls13", "ja4", opensslJa4).get("seen_from").asText()).isEqualTo("127.0.0.1");

        // Only TLS 1.3: both TLS 1.2 clients fail, the TLS 1.3 one is unaffected.
        assertThat(row(report, "what_if", "ja4", opensslJa4).get("verdict").asText()).isEqualTo("fails");
        assertThat(row(report, "what_if", "ja4", jdk12).get("verdict").asText()).isEqualTo("fails");
        assertThat(row(report, "what_if", "ja4", jdk13).get("verdict").asText()).isEqualTo("unaffected");
        long jdk12Handshakes = records.stream()
                .filter(r -> jdk12.equals(text(r, "tls_agent.client_hello.ja4"))).count();
        assertThat(row(report, "what_if", "ja4", jdk12).get("handshakes").asLong()).isEqualTo(jdk12Handshakes);

        // The default deny list has CBC: openssl offered nothing else.
        JsonNode denied = row(report, "denied_ciphers", "ja4", opensslJa4);
        assertThat(denied.get("negotiated").toString()).isEqualTo("[\"TLSv1.2 " + CBC + "\"]");
        assertThat(denied.get("alternative").asText()).isEqualTo("no");
        assertThat(report.get("denied_ciphers").get("rows")).hasSize(1);

        // Failures by error type and peer, as many as the log has.
        Map<String, Long> perType = records.stream().filter(r -> "failure".equals(text(r, "event.outcome")))
                .collect(Collectors.groupingBy(r -> text(r, "error.type") + " " + text(r, "tls_agent.role"),
                        Collectors.counting()));
        assertThat(perType).containsKeys("protocol_version server", "protocol_version client");
        long rows = 0;
        for (JsonNode f : report.get("failures").get("rows")) {
            rows += f.get("count").asLong();
            assertThat(perType).containsKey(f.get("error_type").asText() + " " + f.get("role").asText());
        }
        assertThat(rows).isEqualTo(failed);

        // The test server certificate is valid for 30 days: within the default window, not within 29 days.
        String serverSha = pki.serverSha256();
        JsonNode cert = row(report, "expiring_certificates", "sha256", serverSha);
        assertThat(cert.get("subject").asText()).isEqualTo("O=tls-agent tests,CN=localhost");
        assertThat(cert.get("presented_by").asText()).isEqualTo("server");
        JsonNode narrow = JSON.readTree(report(List.of("--json", "--expiring-days", "28", log.toString())));
        assertThat(narrow.get("expiring_certificates").get("rows")).isEmpty();

        // Denying the suite the JDK's TLS 1.3 client negotiated: it offered others, so it falls back.
        JsonNode deny = JSON.readTree(report(List.of("--json", "--what-if", "deny-ciphers=TLS_AES_256_GCM_SHA384",
                log.toString())));
        assertThat(row(deny, "what_if", "ja4", jdk13).get("verdict").asText()).isEqualTo("falls back");
        assertThat(row(deny, "what_if", "ja4", opensslJa4).get("verdict").asText()).isEqualTo("unaffected");
        assertThat(row(deny, "denied_ciphers", "ja4", jdk13).get("alternative").asText()).isEqualTo("yes");
    }

    @Test
    void tableAndGzipAndStdin() throws Exception {
        String table = report(List.of("--what-if", "protocols=TLSv1.3", log.toString()));
        String opensslJa4 = text(records.threadPrefix("openssl-server/").get(0), "tls_agent.client_hello.ja4");
        assertThat(table).startsWith("tls-agent report: " + records.size() + " handshake records")
                .contains("Clients whose highest offered version is below TLS 1.3")
                .containsPattern("(?m)^  " + opensslJa4 + " +TLSv1.2 +no +1 ")
                .contains("What if protocols=TLSv1.3?")
                .containsPattern("(?m)^  " + opensslJa4 + " +fails +1 .*offers at most TLSv1.2$")
                .containsPattern("(?m)^  localhost +server +TLSv1.2 +" + CBC + " +1 ");

        Path gz = dir.resolve("handshakes.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(log, out);
        }
        List<String> args = List.of("--json", "--what-if", "protocols=TLSv1.3", "--what-if",
                "deny-ciphers=TLS_AES_256_GCM_SHA384");
        JsonNode plain = withoutRunDetails(report(concat(args, log.toString())));
        JsonNode gzip = withoutRunDetails(report(concat(args, gz.toString())));
        assertThat(gzip).isEqualTo(plain);
        JsonNode stdin = withoutRunDetails(report(concat(args, "-"), gz));
        assertThat(stdin).isEqualTo(plain);
    }

    /**
     * Millions of lines (real ones, with varied server names and fingerprints, and some junk) streamed into a
     * report running with a 64 MiB heap: it finishes and says how many keys went over its caps.
     */
    @Test
    void millionsOfLinesInBoundedMemory() throws Exception {
        String template = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"openssl-server/conn\"")).findFirst().orElseThrow();
        assertThat(template).contains("\"server_name\":\"localhost\"").contains("\"ja4\":\"");
        // Split around the server name (twice in a line) and the fingerprint, so lines are made by copying bytes.
        String marked = template.replace("\"server_name\":\"localhost\"", "\"server_name\":\"\u0001")
                .replace("\"ja4\":\"", "\"ja4\":\"\u0002");
        List<byte[]> parts = new ArrayList<>();
        List<Character> markers = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == '\u0001' || c == '\u0002') {
                parts.add(marked.substring(start, i).getBytes(StandardCharsets.UTF_8));
                markers.add(c);
                start = i + 1;
            }
        }
        parts.add((marked.substring(start) + "\n").getBytes(StandardCharsets.UTF_8));
        int lines = 2_000_000;
        int names = 50_000;
        int fingerprints = 30_000;
        int junkEvery = 100_000;

        List<String> cmd = List.of(ForkedJvm.java(), "-Xmx64m", "-jar", ForkedJvm.AGENT_JAR.toString(), "report",
                "--json", "--top", "5", "-");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[][] output = new byte[1][];
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                output[0] = in.readAllBytes();
            } catch (IOException ignored) {
                // the process died; the exit code says so
            }
        });
        reader.start();
        long t0 = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
            for (int n = 0; n < lines; n++) {
                if (n % junkEvery == 0) {
                    out.write("{\"half a line\n".getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                byte[] name = ("h" + (n % names) + ".test\"").getBytes(StandardCharsets.UTF_8);
                byte[] ja4 = ("x" + (n % fingerprints) + "_").getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < markers.size(); i++) {
                    out.write(parts.get(i));
                    out.write(markers.get(i) == '\u0001' ? name : ja4);
                }
                out.write(parts.get(parts.size() - 1));
            }
        }
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        reader.join(10_000);
        assertThat(p.exitValue()).isZero();
        JsonNode report = JSON.readTree(output[0]);
        System.out.println("ReportIT: " + lines + " lines (" + (long) lines * template.length() / (1 << 20)
                + " MiB) in " + millis + " ms, " + (lines * 1000L / Math.max(1, millis)) + " lines/s, -Xmx64m");

        long junk = lines / junkEvery;
        assertThat(report.get("lines").asLong()).isEqualTo(lines);
        assertThat(report.get("records").asLong()).isEqualTo(lines - junk);
        assertThat(report.get("skipped").get("not valid JSON").asLong()).isEqualTo(junk);
        JsonNode overflow = report.get("overflow");
        assertThat(overflow.get("server_names").get("keys").asLong()).isEqualTo(10_001);
        assertThat(overflow.get("server_names").get("overflowed_keys").asLong()).isBetween(38_000L, 42_000L);
        assertThat(overflow.get("clients").get("overflowed_keys").asLong()).isBetween(19_000L, 21_000L);
        assertThat(row(report, "versions", "version", "TLSv1.2").get("count").asLong()).isEqualTo(lines - junk);
    }

    private JsonNode withoutRunDetails(String json) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.remove("inputs");
        ((ObjectNode) node.get("expiring_certificates")).remove("notes"); // says the time of the run
        return node;
    }

    private String report(List<String> args) throws Exception {
        return report(args, null);
    }

    /** Runs the report as its own process with the built jar; {@code stdin} is fed to it when given. */
    private String report(List<String> args, Path stdin) throws Exception {
        List<String> cmd = ForkedJvm.agentCommand("report");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("report.err").toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("report.err")) + out).isZero();
        return out;
    }

    private static JsonNode row(JsonNode report, String section, String field, String value) {
        for (JsonNode r : report.get(section).get("rows")) {
            if (value.equals(r.path(field).asText())) {
                return r;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + section + ": " + report.get(section));
    }

    private static List<String> column(JsonNode report, String section, String field) {
        List<String> values = new ArrayList<>();
        report.get(section).get("rows").forEach(r -> values.add(r.path(field).asText()));
        return values;
    }

    private static List<String> concat(List<String> base, String more) {
        List<String> all = new ArrayList<>(base);
        all.add(more);
        return all;
    }
}
