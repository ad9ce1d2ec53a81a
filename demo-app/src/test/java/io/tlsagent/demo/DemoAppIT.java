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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's first command: the demo with the built agent prints handshake lines and serves /metrics. */
class DemoAppIT {

    @Test
    void demoWithTheAgentShowsItsHandshakes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java,
                "-javaagent:" + System.getProperty("tlsagent.test.jar") + "=port=" + port + ",host=127.0.0.1",
                "-jar", System.getProperty("tlsagent.demo.jar"), "--duration", "6")
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
        for (int i = 0; i < 100 && !scrape.contains("tls_handshake_duration_seconds_bucket{"); i++) {
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
        assertThat(demo.exitValue()).isZero();
        assertThat(scrape).contains("tls_handshakes_total{").contains("tls_handshake_duration_seconds_bucket{");

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout) {
            lines.add(json.readTree(line)); // stdout holds only the agent's JSON lines
        }
        assertThat(lines).hasSizeGreaterThan(20);
        assertThat(values(lines, "/tls_agent/api")).containsExactlyInAnyOrder("SSLSocket", "SSLEngine");
        assertThat(values(lines, "/tls/version")).containsExactlyInAnyOrder("1.2", "1.3");
        assertThat(values(lines, "/tls_agent/resumption")).contains("none", "psk", "ticket");
        assertThat(values(lines, "/error/type")).contains("protocol_version", "certificate_untrusted");
        assertThat(values(lines, "/tls_agent/role")).containsExactlyInAnyOrder("client", "server");
    }

    private static Set<String> values(List<JsonNode> lines, String pointer) {
        return lines.stream().map(l -> l.at(pointer)).filter(n -> !n.isMissingNode()).map(JsonNode::asText)
                .collect(Collectors.toSet());
    }
}
