package io.tlsagent.it;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Records;
import io.tlsagent.testsupport.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JA3 and JA3S against an outside reference: Wireshark's {@code tshark} computes them from a loopback capture of
 * the same connections the agent recorded (JDK and openssl clients, a JDK server).
 */
@Tag("jdk")
class TsharkIT {

    @TempDir
    Path dir;

    @Test
    void ja3AndJa3sMatchWireshark() throws Exception {
        TestPki.createIn(dir);
        Path capture = dir.resolve("tls.pcapng");
        Records records;
        try (ForkedJvm jvm = Forks.workload(dir, "--pki", dir.toString(), "--openssl-server", "--hold").start()) {
            jvm.awaitStdout("READY");
            String port = jvm.value("OPENSSL-SERVER");
            Process tshark = startCapture(capture, port);
            try {
                awaitCapturing(capture, port);
                String target = "127.0.0.1:" + port;
                Openssl.run(List.of("openssl", "s_client", "-connect", target, "-tls1_3", "-servername", "a.test"), 300);
                Openssl.run(List.of("openssl", "s_client", "-connect", target, "-tls1_2", "-alpn", "h2,http/1.1"), 300);
                // A JDK client with the agent too: its ClientHello is seen from both ends.
                try (ForkedJvm client = Forks.workload(java.nio.file.Files.createTempDirectory(dir, "client"), "--pki",
                        dir.toString(), "--connect", port).start()) {
                    client.awaitStdout("READY");
                    assertThat(client.finish()).isZero();
                    records = client.records();
                }
                Thread.sleep(1500); // the server's lines are written within a second; tshark flushes
            } finally {
                tshark.destroy();
                tshark.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(jvm.finish()).isZero();
            // Without the primer's connection (no ClientHello: recorded as peer_closed).
            records = Records.of(concat(records, jvm.records().threadPrefix("openssl-server/")
                    .where(r -> !"peer_closed".equals(text(r, "error.type")))));
        }
        Map<String, String[]> ja3ByClientPort = fields(capture, "tls.handshake.type == 1", "tcp.srcport",
                "tls.handshake.ja3_full", "tls.handshake.ja3");
        Map<String, String[]> ja3sByClientPort = fields(capture, "tls.handshake.type == 2", "tcp.dstport",
                "tls.handshake.ja3s_full", "tls.handshake.ja3s");
        assertThat(ja3ByClientPort).hasSize(4); // two openssl clients, two JDK clients
        int compared = 0;
        for (JsonNode r : records) {
            String clientPort = text(r, "client.port");
            String[] ja3 = ja3ByClientPort.get(clientPort);
            String[] ja3s = ja3sByClientPort.get(clientPort);
            assertThat(ja3).as("a captured ClientHello for " + r).isNotNull();
            assertThat(text(r, "tls_agent.client_hello.ja3")).as(r.toString()).isEqualTo(ja3[0]);
            assertThat(text(r, "tls.client.ja3")).isEqualTo(ja3[1]);
            assertThat(text(r, "tls_agent.server_hello.ja3s")).as(r.toString()).isEqualTo(ja3s[0]);
            assertThat(text(r, "tls.server.ja3s")).isEqualTo(ja3s[1]);
            compared++;
        }
        // 4 server records (each client), 2 client records (the JDK client's side of its connections).
        assertThat(compared).isEqualTo(6);
        assertThat(records.role("client")).hasSize(2);
    }

    private static final List<String> PACKETS = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private static Process startCapture(Path file, String port) throws Exception {
        // -P -l: also print a line per packet, at once, so the test can see when capturing really began.
        Process p = new ProcessBuilder("tshark", "-i", "lo", "-f", "tcp port " + port, "-w", file.toString(), "-P",
                "-l").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            if (line.contains("Capturing on")) {
                Thread drain = new Thread(() -> {
                    try {
                        String packet;
                        while ((packet = out.readLine()) != null) {
                            PACKETS.add(packet);
                        }
                    } catch (Exception ignored) {
                        // tshark ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("tshark did not start capturing");
    }

    /**
     * tshark says "Capturing on" a moment before it really captures: connect (a plain TCP connection that says
     * nothing) until tshark prints a packet.
     */
    private static void awaitCapturing(Path capture, String port) throws Exception {
        for (int i = 0; i < 100; i++) {
            new java.net.Socket("127.0.0.1", Integer.parseInt(port)).close();
            Thread.sleep(200);
            synchronized (PACKETS) {
                if (PACKETS.stream().anyMatch(l -> l.contains("TCP"))) {
                    return;
                }
            }
        }
        throw new AssertionError("tshark captured nothing: " + PACKETS);
    }

    /** {@code key -> [fields...]} for each packet matching {@code filter}. */
    private static Map<String, String[]> fields(Path capture, String filter, String key, String... fields)
            throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-r", capture.toString(), "-Y", filter,
                "-T", "fields", "-E", "separator=|", "-e", key));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        String output = Openssl.run(cmd, 0);
        Map<String, String[]> out = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] parts = line.split("\\|", -1);
            if (parts.length == fields.length + 1 && parts[0].matches("\\d+")) {
                out.put(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
            }
        }
        return out;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
