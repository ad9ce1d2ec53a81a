package io.tlsagent.export.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent's side of watch over real loopback sockets. */
@Timeout(60)
class WatchChannelTest {

    private final EcsJson format = new EcsJson("svc", 42);
    private final CountDownLatch closedByItself = new CountDownLatch(1);
    private final WatchChannel channel = new WatchChannel(() -> format, new AgentErrors(), closedByItself::countDown);

    @AfterEach
    void close() {
        channel.close();
    }

    private static HandshakeRecord record(int i) {
        return HandshakeRecord.builder().timestamp(Instant.ofEpochSecond(1_700_000_000L, i)).role(Role.CLIENT)
                .api(Api.SSL_SOCKET).provider("SunJSSE").protocol("TLSv1.3").cipherSuite("TLS_AES_128_GCM_SHA256")
                .resumption(Resumption.NONE).durationNanos(1000L + i).peerAddress("10.0.0.2").peerPort(443)
                .serverName("host-" + i + ".example").threadName("worker").build();
    }

    private String expectedLine(HandshakeRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(r, out);
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static String[] portAndSecret(Path file) throws IOException {
        return Files.readString(file).trim().split(" ");
    }

    private static Socket connect(Path file, String secret) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(portAndSecret(file)[0]));
        s.getOutputStream().write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** The next non-heartbeat line. */
    private static String nextLine(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null && line.isEmpty()) {
            // heartbeat
        }
        return line;
    }

    /** Offers records until the client is streaming (it is added a moment after it presented the secret). */
    private void awaitStreaming(int clients) throws InterruptedException {
        for (int i = 0; i < 500 && streamingCount() != clients; i++) {
            Thread.sleep(10);
        }
        assertThat(streamingCount()).isEqualTo(clients);
    }

    private int streamingCount() {
        try {
            java.lang.reflect.Field f = WatchChannel.class.getDeclaredField("streaming");
            f.setAccessible(true);
            return ((Object[]) f.get(channel)).length;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theSecretFileIsPrivateAndNamedByTheProperty() throws Exception {
        Path file = channel.open();
        assertThat(System.getProperty(WatchChannel.PROPERTY)).isEqualTo(file.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(portAndSecret(file)[1]).hasSize(64).matches("[0-9a-f]+");
        assertThat(channel.open()).as("open twice: the same channel").isEqualTo(file);

        channel.close();
        assertThat(file).doesNotExist();
        assertThat(System.getProperty(WatchChannel.PROPERTY)).isNull();
        assertThat(closedByItself.getCount()).as("closed by detach, not by itself").isEqualTo(1);
    }

    @Test
    void theRightSecretGetsTheLogLinesOfEachHandshake() throws Exception {
        Path file = channel.open();
        try (Socket s = connect(file, portAndSecret(file)[1])) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            awaitStreaming(1);
            channel.export(record(1));
            channel.export(record(2));
            assertThat(nextLine(in)).isEqualTo(expectedLine(record(1)));
            assertThat(nextLine(in)).isEqualTo(expectedLine(record(2)));
        }
    }

    @Test
    void aWrongSecretGetsNothing() throws Exception {
        Path file = channel.open();
        String secret = portAndSecret(file)[1];
        String wrong = (secret.charAt(0) == 'a' ? "b" : "a") + secret.substring(1);
        try (Socket s = connect(file, wrong)) {
            s.setSoTimeout(10_000);
            Thread.sleep(200);
            channel.export(record(1));
            assertThat(s.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
        }
        try (Socket s = connect(file, "")) {
            s.setSoTimeout(10_000);
            channel.export(record(1));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(channel.isOpen()).as("a failed client does not close the channel").isTrue();
    }

    @Test
    void noSecretWithinTheTimeLimitGetsNothing() throws Exception {
        Path file = channel.open();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(portAndSecret(file)[0]))) {
            s.setSoTimeout(WatchClient.AUTH_TIMEOUT_MILLIS + 10_000);
            channel.export(record(1));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void atMostFourClientsAndTheChannelClosesWhenTheLastLeaves() throws Exception {
        Path file = channel.open();
        String secret = portAndSecret(file)[1];
        Socket[] clients = new Socket[WatchChannel.MAX_CLIENTS];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = connect(file, secret);
        }
        awaitStreaming(WatchChannel.MAX_CLIENTS);
        try (Socket fifth = connect(file, secret)) {
            fifth.setSoTimeout(10_000);
            assertThat(fifth.getInputStream().read()).as("over the limit").isEqualTo(-1);
        }
        channel.export(record(7));
        for (Socket c : clients) {
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            assertThat(nextLine(in)).isEqualTo(expectedLine(record(7)));
        }
        for (int i = 0; i < clients.length - 1; i++) {
            clients[i].getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            clients[i].close();
        }
        awaitStreaming(1);
        assertThat(channel.isOpen()).isTrue();
        clients[clients.length - 1].close(); // without a goodbye: noticed by the heartbeat
        assertThat(closedByItself.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(channel.isOpen()).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void aClientThatDoesNotReadLosesRecordsNotTheHandshakeThread() throws Exception {
        Path file = channel.open();
        try (Socket s = connect(file, portAndSecret(file)[1])) {
            awaitStreaming(1);
            // Far more than the queue and the socket buffers hold: offering must never wait (else @Timeout fails).
            for (int i = 0; i < 200_000; i++) {
                channel.export(record(i));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            s.setSoTimeout(30_000);
            String line;
            boolean droppedReported = false;
            try {
                while (!droppedReported && (line = in.readLine()) != null) {
                    droppedReported = line.startsWith("{\"tls_agent_watch\":{\"dropped\":");
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no dropped report", e);
            }
            assertThat(droppedReported).isTrue();
        }
    }
}
