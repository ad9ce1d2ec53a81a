package io.tlsagent.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.testsupport.ForkedJvm;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real VictoriaMetrics (Debian's package, brought by {@code scripts/victoria-metrics.sh}) on a free loopback
 * port: an OTLP/HTTP metrics receiver ({@code /opentelemetry/v1/metrics}) with the Prometheus query API. Names are
 * turned into Prometheus' ({@code -opentelemetry.usePrometheusNaming}: {@code tls.handshakes} is
 * {@code tls_handshakes_total}, {@code tls.protocol.version} is {@code tls_protocol_version}), and the newest
 * samples are visible at once ({@code -search.latencyOffset=0s}; its default hides the last 30 s).
 */
public final class VictoriaMetrics implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    public final int port;

    private VictoriaMetrics(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The binary: {@code -Dtlsagent.test.victoriametrics=...}, else what the project script brings (once). */
    static String binary() throws IOException, InterruptedException {
        String configured = System.getProperty("tlsagent.test.victoriametrics", "");
        if (!configured.isEmpty()) {
            return configured;
        }
        Path script = Paths.get("..", "scripts", "victoria-metrics.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0).as(script + " gave " + path).isTrue();
        return path;
    }

    public static VictoriaMetrics start(Path dir) throws Exception {
        int port = ForkedJvm.freePort();
        Path data = Files.createDirectories(dir.resolve("victoria-metrics"));
        Process p = new ProcessBuilder(binary(), "-httpListenAddr=127.0.0.1:" + port, "-storageDataPath=" + data,
                "-search.latencyOffset=0s", "-retentionPeriod=1d", "-opentelemetry.usePrometheusNaming")
                .redirectErrorStream(true).redirectOutput(dir.resolve("victoria-metrics.log").toFile()).start();
        VictoriaMetrics vm = new VictoriaMetrics(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (ForkedJvm.get("http://127.0.0.1:" + port + "/health").trim().equals("OK")) {
                    return vm;
                }
            } catch (IOException | AssertionError notYet) {
                Thread.sleep(100);
            }
        }
        vm.close();
        throw new AssertionError("VictoriaMetrics did not start; see " + dir.resolve("victoria-metrics.log"));
    }

    /** The OTLP/HTTP endpoint for metrics. */
    public String otlpMetrics() {
        return "http://127.0.0.1:" + port + "/opentelemetry/v1/metrics";
    }

    /** An instant PromQL query: each result's labels (without __name__), sorted, to its value. */
    public Map<Map<String, String>, Double> query(String promql) throws Exception {
        JsonNode answer = JSON.readTree(ForkedJvm.get("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        assertThat(answer.path("status").asText()).as(promql + ": " + answer).isEqualTo("success");
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (JsonNode r : answer.path("data").path("result")) {
            Map<String, String> labels = new TreeMap<>();
            r.path("metric").fields().forEachRemaining(e -> {
                if (!e.getKey().equals("__name__")) {
                    labels.put(e.getKey(), e.getValue().asText());
                }
            });
            out.put(labels, Double.parseDouble(r.path("value").get(1).asText()));
        }
        return out;
    }

    /** The one value of a query that aggregates to one series, or -1 when it has none yet. */
    public double scalar(String promql) throws Exception {
        Map<Map<String, String>, Double> r = query(promql);
        assertThat(r.size()).as(promql + ": " + r).isLessThanOrEqualTo(1);
        return r.isEmpty() ? -1 : r.values().iterator().next();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
