package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret leaves the JVM. openssl s_client, against a JVM server with the agent, writes down what it knows
 * ({@code -keylogfile}: the session's secrets; {@code -sess_out}, read back with {@code openssl sess_id}: session
 * ID, master key, ticket, resumption PSK). None of those bytes, in hex or base64, may appear in any JSON line, in
 * the scrape, or in what the JVM printed.
 */
@Tag("jdk")
class SecretsIT {

    @TempDir
    Path dir;

    @Test
    void noSessionSecretInAnyOutput() throws Exception {
        TestPki.createIn(dir);
        Set<String> secrets = new LinkedHashSet<>();
        String scrape;
        String printed;
        int records;
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--openssl-server", "--hold").start()) {
            jvm.awaitStdout("READY");
            String target = "127.0.0.1:" + jvm.value("OPENSSL-SERVER");
            int n = 0;
            for (List<String> options : List.of(List.of("-tls1_3"), List.of("-tls1_2"), List.of("-tls1_2", "-no_ticket"))) {
                Path session = dir.resolve("session-" + n + ".pem");
                for (boolean resume : new boolean[] {false, true}) {
                    Path keylog = dir.resolve("keylog-" + (n++) + ".txt");
                    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", target,
                            "-CAfile", dir.resolve(TestPki.CA_PEM).toString(), "-keylogfile", keylog.toString()));
                    cmd.addAll(options);
                    cmd.addAll(List.of(resume ? "-sess_in" : "-sess_out", session.toString()));
                    Openssl.run(cmd, 200, resume ? null : session);
                    secrets.addAll(keylogSecrets(keylog));
                }
                secrets.addAll(sessionSecrets(session));
            }
            Thread.sleep(1200); // lines are written within a second
            scrape = jvm.scrape().text;
            assertThat(jvm.finish()).isZero();
            records = jvm.records().size();
            printed = String.join("\n", jvm.stdout()) + String.join("\n", jvm.stderr());
        }
        assertThat(records).isEqualTo(6);
        // The keylog of each connection (at least 1 secret for TLS 1.2, 5 for TLS 1.3), session IDs, master keys,
        // tickets, resumption PSKs: several dozen values to look for.
        assertThat(secrets).hasSizeGreaterThan(20);
        String log = new String(Files.readAllBytes(dir.resolve("handshakes.jsonl")), StandardCharsets.UTF_8);
        for (String secretHex : secrets) {
            for (String form : forms(secretHex)) {
                assertThat(log).as("JSON log").doesNotContain(form);
                assertThat(scrape).as("/metrics").doesNotContain(form);
                assertThat(printed).as("stdout/stderr").doesNotContain(form);
            }
        }
    }

    /** Hex (both cases), base64 and base64url of the whole value, and the hex of its first 8 bytes. */
    private static List<String> forms(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        String lower = hex.toLowerCase(Locale.ROOT);
        return List.of(lower, hex.toUpperCase(Locale.ROOT), lower.substring(0, 16),
                lower.substring(0, 16).toUpperCase(Locale.ROOT), Base64.getEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** {@code LABEL <client_random> <secret>} lines: both hex values. */
    private static List<String> keylogSecrets(Path keylog) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(keylog)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && !line.startsWith("#")) {
                out.add(parts[1]);
                out.add(parts[2]);
            }
        }
        assertThat(out).as("keylog " + keylog).isNotEmpty();
        return out;
    }

    private static final Pattern FIELD = Pattern.compile("(Session-ID|Master-Key|Resumption PSK):\\s*([0-9A-Fa-f]{16,})");
    private static final Pattern DUMP = Pattern.compile("^\\s*[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){1,16})", Pattern.MULTILINE);

    /** Session ID, master key or resumption PSK, and the ticket's bytes, as {@code openssl sess_id} shows them. */
    private static List<String> sessionSecrets(Path session) throws Exception {
        String text = Openssl.run(List.of("openssl", "sess_id", "-in", session.toString(), "-text", "-noout"), 0);
        List<String> out = new ArrayList<>();
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            out.add(m.group(2));
        }
        StringBuilder ticket = new StringBuilder();
        Matcher dump = DUMP.matcher(text);
        while (dump.find()) {
            ticket.append(dump.group(1).replaceAll("[ -]", ""));
        }
        if (ticket.length() >= 32) {
            out.add(ticket.toString());
            out.add(ticket.substring(0, 32)); // its first 16 bytes on their own
        }
        assertThat(out).as("secrets of " + session + ":\n" + text).isNotEmpty();
        return out;
    }
}
