package io.tlsagent.demo;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: the demo with the built agent prints handshake lines and serves /metrics, and its
 * workload is what it says: both JSSE APIs, TLS 1.0 to 1.3, several suites, EC and RSA certificates, resumption at
 * the share asked for, mutual TLS, and every failure type it makes on purpose.
 */
class DemoAppIT {

    private static final int HANDSHAKES = 200;

    @TempDir
    Path dir;

    @Test
    void demoWithTheAgentShowsItsHandshakes() throws Exception {
        Records lines;
        List<String> stdout;
        String scrape = "";
        try (ForkedJvm demo = ForkedJvm.jar(dir, Paths.get(System.getProperty("tlsagent.demo.jar")))
                .agentArgs("log=stdout").args("--handshakes", String.valueOf(HANDSHAKES), "--rate", "0",
                        "--resume-share", "0.5", "--failure-share", "0.1").start()) {
            for (int i = 0; i < 200 && !scrape.contains("tls_handshake_duration_seconds_bucket{"); i++) {
                Thread.sleep(100);
                try {
                    scrape = demo.scrape().text;
                } catch (java.io.IOException notYet) {
                    // the endpoint starts with the JVM
                }
            }
            assertThat(demo.finish()).as("exit status (1: a handshake did not go as its scenario says)").isZero();
            stdout = demo.stdout();
            lines = Records.parse(stdout); // stdout holds only the agent's JSON lines
        }
        assertThat(scrape).contains("tls_handshakes_total{").contains("tls_handshake_duration_seconds_bucket{");

        // The default log: summaries of at most 1.5 KB; the first of each kind and the failures in full.
        List<Integer> summarySizes = new ArrayList<>();
        List<Integer> fullSizes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int bytes = stdout.get(i).getBytes(StandardCharsets.UTF_8).length + 1; // with its newline
            ("summary".equals(text(lines.get(i), "tls_agent.detail")) ? summarySizes : fullSizes).add(bytes);
        }
        Collections.sort(summarySizes);
        Collections.sort(fullSizes);
        System.out.println("demo log: " + summarySizes.size() + " summary lines, " + summarySizes.get(0) + " to "
                + summarySizes.get(summarySizes.size() - 1) + " bytes; " + fullSizes.size() + " full lines, "
                + fullSizes.get(0) + " to " + fullSizes.get(fullSizes.size() - 1) + " bytes");
        assertThat(summarySizes).as("summary lines").hasSizeGreaterThan(lines.size() / 2)
                .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(1536));
        Records client = lines.role("client");
        Records server = lines.role("server");
        assertThat(client).hasSize(HANDSHAKES); // exactly one record per client handshake
        assertThat(server).hasSizeGreaterThan(HANDSHAKES * 8 / 10); // a server may never see a client that fails early
        assertThat(lines.distinct("tls_agent.role")).containsExactlyInAnyOrder("client", "server");
        assertThat(lines.distinct("tls_agent.api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(client.distinct("tls_agent.api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(server.distinct("tls_agent.api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(lines.distinct("tls.version")).containsExactlyInAnyOrder("1.0", "1.1", "1.2", "1.3");
        assertThat(lines.distinct("tls_agent.resumption")).contains("none", "psk", "ticket");

        Records clientOk = client.where("event.outcome", "success");
        assertThat(clientOk.distinct("tls.cipher")).contains("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
                "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThat(clientOk.distinct("tls.cipher")).anyMatch(s -> s.matches("TLS_ECDHE_RSA_WITH_AES_(128|256)_GCM_.*"));
        // EC and RSA server certificates, the one that expires in 2 days, and the client certificate (mutual TLS).
        Set<String> serverCerts = clientOk.distinct("tls.server.subject");
        assertThat(serverCerts).anyMatch(s -> s.contains("OU=EC key")).anyMatch(s -> s.contains("OU=RSA key"))
                .anyMatch(s -> s.contains("OU=expires in 2 days"));
        for (JsonNode l : clientOk.where(l -> String.valueOf(text(l, "tls.server.subject")).contains("expires in"))) {
            assertThat(Instant.parse(text(l, "tls.server.not_after")))
                    .isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(3)));
        }
        assertThat(server.distinct("tls.client.subject")).anyMatch(s -> s.contains("CN=demo-client"));

        // Resumption at the share asked for: half of the succeeding client handshakes offer a session (the first of
        // each scenario cannot), and the servers accept them.
        double resumed = clientOk.where("tls.resumed", "true").size() / (double) clientOk.size();
        assertThat(resumed).isBetween(0.4, 0.55);

        // Every failure the demo makes, as the agent classifies it: on the client's side, except the missing client
        // certificate, which in TLS 1.3 fails only on the server's side.
        Set<String> clientErrors = client.distinct("error.type");
        Set<String> serverErrors = server.distinct("error.type");
        for (Failure f : Failure.values()) {
            assertThat(f == Failure.CLIENT_CERTIFICATE_MISSING ? serverErrors : clientErrors)
                    .as("error type of %s", f.label).contains(f.errorType);
        }
        assertThat(clientErrors).containsExactlyInAnyOrderElementsOf(Arrays.stream(Failure.values())
                .filter(f -> f != Failure.CLIENT_CERTIFICATE_MISSING).map(f -> f.errorType)
                .collect(Collectors.toList()));
        double failed = (client.size() - clientOk.size()) / (double) client.size();
        assertThat(failed).isBetween(0.05, 0.12); // 10% fail on purpose, 1 in 6 of them only on the server's side
    }
}
