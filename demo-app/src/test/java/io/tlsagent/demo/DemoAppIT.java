package io.tlsagent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: the demo with the built agent prints handshake lines and serves /metrics, and its
 * workload is what it says: both JSSE APIs, TLS 1.0 to 1.3, several suites, EC and RSA certificates, resumption at
 * the share asked for, mutual TLS, and every failure type it makes on purpose.
 */
class DemoAppIT {

    private static final int HANDSHAKES = 200;

    @Test
    void demoWithTheAgentShowsItsHandshakes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java,
                "-javaagent:" + System.getProperty("tlsagent.test.jar") + "=port=" + port + ",host=127.0.0.1",
                "-jar", System.getProperty("tlsagent.demo.jar"), "--handshakes", String.valueOf(HANDSHAKES),
                "--rate", "0", "--resume-share", "0.5", "--failure-share", "0.1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(stdout::add);
            } catch (Exception ignored) {
                // demo ended
            }
        });
        reader.start();
        String scrape = "";
        for (int i = 0; i < 200 && !scrape.contains("tls_handshake_duration_seconds_bucket{"); i++) {
            Thread.sleep(100);
            try {
                scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException notYet) {
                // the endpoint starts with the JVM
            }
        }
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(demo.exitValue()).as("exit status (1: a handshake did not go as its scenario says)").isZero();
        assertThat(scrape).contains("tls_handshakes_total{").contains("tls_handshake_duration_seconds_bucket{");

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        List<Integer> summarySizes = new ArrayList<>();
        List<Integer> fullSizes = new ArrayList<>();
        for (String line : stdout) {
            JsonNode l = json.readTree(line); // stdout holds only the agent's JSON lines
            lines.add(l);
            int bytes = line.getBytes(StandardCharsets.UTF_8).length + 1; // with its newline
            (l.at("/tls_agent/detail").asText().equals("summary") ? summarySizes : fullSizes).add(bytes);
        }
        // The default log: summaries of at most 1.5 KB; the first of each kind and the failures in full.
        Collections.sort(summarySizes);
        Collections.sort(fullSizes);
        System.out.println("demo log: " + summarySizes.size() + " summary lines, " + summarySizes.get(0) + " to "
                + summarySizes.get(summarySizes.size() - 1) + " bytes; " + fullSizes.size() + " full lines, "
                + fullSizes.get(0) + " to " + fullSizes.get(fullSizes.size() - 1) + " bytes");
        assertThat(summarySizes).as("summary lines").hasSizeGreaterThan(lines.size() / 2)
                .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(1536));
        List<JsonNode> client = filter(lines, l -> l.at("/tls_agent/role").asText().equals("client"));
        List<JsonNode> server = filter(lines, l -> l.at("/tls_agent/role").asText().equals("server"));
        assertThat(client).hasSize(HANDSHAKES); // exactly one record per client handshake
        assertThat(server).hasSizeGreaterThan(HANDSHAKES * 8 / 10); // a server may never see a client that fails early
        assertThat(values(lines, "/tls_agent/role")).containsExactlyInAnyOrder("client", "server");
        assertThat(values(lines, "/tls_agent/api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(values(client, "/tls_agent/api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(values(server, "/tls_agent/api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(values(lines, "/tls/version")).containsExactlyInAnyOrder("1.0", "1.1", "1.2", "1.3");
        assertThat(values(lines, "/tls_agent/resumption")).contains("none", "psk", "ticket");

        List<JsonNode> clientOk = filter(client, l -> l.at("/event/outcome").asText().equals("success"));
        assertThat(values(clientOk, "/tls/cipher")).contains("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
                "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThat(values(clientOk, "/tls/cipher")).anyMatch(s -> s.matches("TLS_ECDHE_RSA_WITH_AES_(128|256)_GCM_.*"));
        // EC and RSA server certificates, the one that expires in 2 days, and the client certificate (mutual TLS).
        Set<String> serverCerts = values(clientOk, "/tls/server/subject");
        assertThat(serverCerts).anyMatch(s -> s.contains("OU=EC key")).anyMatch(s -> s.contains("OU=RSA key"))
                .anyMatch(s -> s.contains("OU=expires in 2 days"));
        for (JsonNode l : filter(clientOk, l -> l.at("/tls/server/subject").asText().contains("expires in"))) {
            assertThat(Instant.parse(l.at("/tls/server/not_after").asText()))
                    .isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(3)));
        }
        assertThat(values(server, "/tls/client/subject")).anyMatch(s -> s.contains("CN=demo-client"));

        // Resumption at the share asked for: half of the succeeding client handshakes offer a session (the first of
        // each scenario cannot), and the servers accept them.
        double resumed = filter(clientOk, l -> l.at("/tls/resumed").asBoolean()).size() / (double) clientOk.size();
        assertThat(resumed).isBetween(0.4, 0.55);

        // Every failure the demo makes, as the agent classifies it: on the client's side, except the missing client
        // certificate, which in TLS 1.3 fails only on the server's side.
        Set<String> clientErrors = values(client, "/error/type");
        Set<String> serverErrors = values(server, "/error/type");
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

    private static List<JsonNode> filter(List<JsonNode> lines, Predicate<JsonNode> p) {
        return lines.stream().filter(p).collect(Collectors.toList());
    }

    private static Set<String> values(List<JsonNode> lines, String pointer) {
        return lines.stream().map(l -> l.at(pointer)).filter(n -> !n.isMissingNode()).map(JsonNode::asText)
                .collect(Collectors.toSet());
    }
}
