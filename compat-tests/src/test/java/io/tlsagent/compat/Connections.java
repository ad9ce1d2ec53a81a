package io.tlsagent.compat;

import static io.tlsagent.testsupport.Records.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsagent.testsupport.Records;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;

/**
 * The connection's real ends in the records (issue 13): what an outside peer ({@code curl}) says of its own
 * connection, and whether both records of one connection in the JVM agree. Addresses are compared as IPs (the
 * agent writes {@code 0:0:0:0:0:0:0:1} where curl says {@code ::1}); nothing is looked up.
 */
public final class Connections {

    private Connections() {}

    /** What curl said of one request's connection: its own end, the server's end, and the HTTP status. */
    public static final class Curl {
        public final String localIp;
        public final int localPort;
        public final String remoteIp;
        public final int remotePort;
        public final String output;

        Curl(String output) {
            this.output = output;
            String[] f = output.trim().split(" ");
            assertThat(f).as("curl -w output: " + output).hasSize(5);
            localIp = f[0];
            localPort = Integer.parseInt(f[1]);
            remoteIp = f[2];
            remotePort = Integer.parseInt(f[3]);
        }

        @Override
        public String toString() {
            return localIp + ":" + localPort + " -> " + remoteIp + ":" + remotePort;
        }
    }

    /**
     * {@code curl} fetches {@code https://localhost:<port><path>} over {@code ip} (127.0.0.1 or ::1), trusting the
     * test CA ({@code dir/ca.der}), and says its connection's ends. {@code options}: more curl options
     * ({@code --http2}, ...). The HTTP status is not judged here (a gRPC server answers plain GETs with an error).
     */
    public static Curl curl(Path dir, String ip, int port, String path, String... options)
            throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.pem");
        if (!Files.exists(ca)) {
            Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(Files.readAllBytes(dir.resolve("ca.der")))
                    + "\n-----END CERTIFICATE-----\n");
        }
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(),
                "--resolve", "localhost:" + port + ":" + (ip.contains(":") ? "[" + ip + "]" : ip),
                "-o", "/dev/null", "-w", "%{local_ip} %{local_port} %{remote_ip} %{remote_port} %{http_code}"));
        cmd.addAll(List.of(options));
        cmd.add("https://localhost:" + port + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("curl ended").isTrue();
        assertThat(p.exitValue()).as("curl's exit code; it said: " + out).isZero();
        return new Curl(out);
    }

    /** Whether two IP literals name the same address (no lookup: both are literals). */
    public static boolean sameIp(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException notALiteral) {
            return false;
        }
    }

    /**
     * The server's one record of curl's connection: it names curl's IP and port as the client's, and its own
     * listening IP and port as the server's, in {@code client.address}/{@code client.ip} alike.
     */
    public static JsonNode serverRecordOf(Records records, Curl c) {
        Records mine = records.role("server").where(r -> Objects.equals(text(r, "client.port"),
                Integer.toString(c.localPort)));
        assertThat(mine.size()).as("one server record with client.port " + c.localPort + " (curl: " + c + ") in "
                + records).isEqualTo(1);
        JsonNode r = mine.get(0);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(sameIp(text(r, "client.ip"), c.localIp)).as("client.ip " + text(r, "client.ip") + " is curl's "
                + c.localIp + ": " + r).isTrue();
        soft.assertThat(text(r, "client.address")).as("client.address").isEqualTo(text(r, "client.ip"));
        soft.assertThat(sameIp(text(r, "server.ip"), c.remoteIp)).as("server.ip " + text(r, "server.ip") + " is "
                + c.remoteIp + ": " + r).isTrue();
        soft.assertThat(text(r, "server.port")).as("server.port: " + r).isEqualTo(Integer.toString(c.remotePort));
        soft.assertThat(text(r, "client.domain")).as("no name for a server's client").isNull();
        soft.assertAll();
        return r;
    }

    /**
     * Both records of each connection agree: every client record has exactly one server record with the same
     * client IP and port and server IP and port (the client's local port is the server's {@code client.port}).
     */
    public static void clientsPairWithServers(Records clients, Records servers) {
        assertThat(clients.size()).as("client records").isPositive();
        for (JsonNode c : clients) {
            assertThat(text(c, "client.port")).as("the client's own port: " + c).isNotNull();
            assertThat(text(c, "server.ip")).as("the server's IP: " + c).isNotNull();
            Records peer = servers.where(s -> Objects.equals(text(s, "client.port"), text(c, "client.port"))
                    && Objects.equals(text(s, "server.port"), text(c, "server.port"))
                    && sameIp(text(s, "client.ip"), text(c, "client.ip"))
                    && sameIp(text(s, "server.ip"), text(c, "server.ip")));
            assertThat(peer.size()).as("the server record of " + c + " in " + servers).isEqualTo(1);
        }
    }
}
