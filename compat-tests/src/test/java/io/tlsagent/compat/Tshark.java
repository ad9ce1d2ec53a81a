package io.tlsagent.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Wireshark's {@code tshark} as an outside oracle: a live capture of some loopback ports, and what it dissects of
 * the TLS handshakes there ({@link CapturedHandshake}, one per TCP connection). The capture also watches a port of its
 * own, where this class makes silent connections: one before the test's traffic, to know that tshark really
 * captures ("Capturing on" comes a moment early), and one after it, to know that every packet before was captured.
 */
final class Tshark implements AutoCloseable {

    private final Process process;
    private final ServerSocket marker;
    private final List<String> packets = Collections.synchronizedList(new ArrayList<>());
    final Path file;

    private Tshark(Process process, ServerSocket marker, Path file) {
        this.process = process;
        this.marker = marker;
        this.file = file;
    }

    /** Starts capturing TCP on loopback to and from {@code ports} into {@code file}; returns once it captures. */
    static Tshark capture(Path file, int... ports) throws Exception {
        ServerSocket marker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!marker.isClosed()) {
                try {
                    marker.accept().close();
                } catch (IOException closed) {
                    // the capture ended
                }
            }
        }, "tshark-marker");
        acceptor.setDaemon(true);
        acceptor.start();
        String filter = IntStream.concat(IntStream.of(ports), IntStream.of(marker.getLocalPort()))
                .mapToObj(p -> "tcp port " + p).collect(Collectors.joining(" or "));
        // -P -l: also a line per packet, at once, so that the test sees what was captured when.
        Process p = new ProcessBuilder("tshark", "-i", "lo", "-f", filter, "-w", file.toString(), "-P", "-l")
                .redirectErrorStream(true).start();
        Tshark tshark = new Tshark(p, marker, file);
        tshark.readOutput();
        tshark.mark();
        return tshark;
    }

    private void readOutput() {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    packets.add(line);
                }
            } catch (IOException ended) {
                // tshark ended
            }
        }, "tshark-output");
        t.setDaemon(true);
        t.start();
    }

    /**
     * A silent connection to the marker port, and a wait (30 s at the most) until tshark printed its first packet:
     * then everything sent before it was captured too.
     */
    void mark() throws Exception {
        String toMarker = " " + marker.getLocalPort() + " [SYN]";
        long seen = count(toMarker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            new Socket(InetAddress.getLoopbackAddress(), marker.getLocalPort()).close();
            for (int i = 0; i < 10; i++) {
                Thread.sleep(50);
                if (count(toMarker) > seen) {
                    return;
                }
            }
            if (!process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("tshark did not capture a connection to the marker port " + marker.getLocalPort()
                + ": " + packets);
    }

    private long count(String fragment) {
        synchronized (packets) {
            return packets.stream().filter(l -> l.contains(fragment)).count();
        }
    }

    /** Waits for everything sent so far to be captured, then stops tshark (the capture file is then complete). */
    void stop() throws Exception {
        mark();
        close();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        marker.close();
    }

    // ---- what tshark dissected

    /**
     * The TLS handshakes in a capture, by the client's port: every ClientHello, ServerHello and ServerKeyExchange
     * tshark dissected in the connections to {@code serverPorts} (each decoded as TLS), in the order sent. Read from
     * tshark's JSON, whose tree keeps each extension's fields apart.
     */
    static Map<Integer, CapturedHandshake> handshakes(Path file, int... serverPorts) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString()));
        for (int port : serverPorts) {
            cmd.add("-d");
            cmd.add("tcp.port==" + port + ",tls");
        }
        cmd.addAll(List.of("-Y", "tls.handshake.type == 1 || tls.handshake.type == 2 || tls.handshake.type == 12",
                "-T", "json", "--no-duplicate-keys", "-J", "tcp tcp.segments tls"));
        Path json = file.resolveSibling(file.getFileName() + ".json");
        Process p = new ProcessBuilder(cmd).redirectOutput(json.toFile()).redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(cmd + " failed: " + stderr);
        }
        List<Integer> servers = IntStream.of(serverPorts).boxed().collect(Collectors.toList());
        Map<Integer, CapturedHandshake> byClientPort = new TreeMap<>();
        for (JsonNode packet : new ObjectMapper().readTree(Files.readAllBytes(json))) {
            JsonNode layers = packet.path("_source").path("layers");
            int src = Integer.parseInt(one(layers.path("tcp"), "tcp.srcport"));
            int dst = Integer.parseInt(one(layers.path("tcp"), "tcp.dstport"));
            // a message that came in several TCP segments: tshark reassembled it in this packet
            int segments = all(layers.path("tcp.segments"), "tcp.segment.count").stream()
                    .mapToInt(Integer::parseInt).max().orElse(1);
            for (JsonNode message : handshakeMessages(layers.path("tls"), new ArrayList<>())) {
                boolean fromClient = servers.contains(dst);
                if (!fromClient && !servers.contains(src)) {
                    throw new AssertionError("a handshake message between " + src + " and " + dst
                            + ", neither a server port " + servers);
                }
                byClientPort.computeIfAbsent(fromClient ? src : dst, CapturedHandshake::new).add(message, segments);
            }
        }
        return byClientPort;
    }

    /** The handshake messages in a layer's tree, in order: the objects with a {@code tls.handshake.type}. */
    private static List<JsonNode> handshakeMessages(JsonNode node, List<JsonNode> into) {
        if (node.isObject() && node.has("tls.handshake.type")) {
            into.add(node);
        } else if (node.isContainerNode()) {
            node.forEach(child -> handshakeMessages(child, into));
        }
        return into;
    }

    /** Every value of a field anywhere below {@code node}, in order (tshark writes a repeated field as an array). */
    static List<String> all(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        collect(node, field, out);
        return out;
    }

    private static void collect(JsonNode node, String field, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field)) {
                    if (e.getValue().isArray()) {
                        e.getValue().forEach(v -> out.add(v.asText()));
                    } else {
                        out.add(e.getValue().asText());
                    }
                } else {
                    collect(e.getValue(), field, out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, field, out));
        }
    }

    /** The one value of a field below {@code node}, or null when there is none; fails when there are several. */
    static String one(JsonNode node, String field) {
        List<String> values = all(node, field);
        if (values.size() > 1) {
            throw new AssertionError("several " + field + ": " + values);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** {@code 0x11ec} or {@code 4588}, as tshark writes numbers (hex for some fields, decimal for others). */
    static int number(String value) {
        return value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
    }
}
