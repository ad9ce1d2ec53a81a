package io.tlsagent.export.watch;

import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.BoundedQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection of the watch channel, on its own daemon thread: reads the secret (nothing is sent before it was
 * presented), then writes a JSON line per handshake. Handshake threads only enqueue into a bounded lock-free queue;
 * when it is full the record is dropped and counted, and the client is told how many were dropped.
 */
final class WatchClient {

    static final int CAPACITY = 2_000;
    static final int AUTH_TIMEOUT_MILLIS = 5_000;
    /** An empty line when idle this long: how a client that vanished without a goodbye is noticed. */
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Socket socket;
    private final byte[] secret;
    private final EcsJson format;
    private final AgentErrors errors;
    private final WatchChannel channel;
    private final BoundedQueue<HandshakeRecord> queue = new BoundedQueue<>(CAPACITY);
    private final Thread thread;

    WatchClient(Socket socket, byte[] secret, EcsJson format, AgentErrors errors, WatchChannel channel) {
        this.socket = socket;
        this.secret = secret;
        this.format = format;
        this.errors = errors;
        this.channel = channel;
        this.thread = new Thread(this::run, "tls-agent-watch-client");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void offer(HandshakeRecord record) {
        queue.offer(record);
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
        LockSupport.unpark(thread);
    }

    private void run() {
        try {
            if (authenticated()) {
                channel.streaming(this);
                stream();
            }
        } catch (IOException | RuntimeException e) {
            // the client left or the channel closed
        } finally {
            close();
            channel.ended(this);
        }
    }

    /** Reads one line within the time limit and compares it with the secret in constant time. */
    private boolean authenticated() throws IOException {
        socket.setSoTimeout(AUTH_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        byte[] line = new byte[128];
        int n = 0;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (n == line.length) {
                return false;
            }
            line[n++] = (byte) b;
        }
        byte[] expected = SecretFile.hex(secret).getBytes(StandardCharsets.US_ASCII);
        return b == '\n' && MessageDigest.isEqual(expected, java.util.Arrays.copyOf(line, n));
    }

    private void stream() throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream batch = new ByteArrayOutputStream(8192);
        long reported = 0;
        long lastWrite = System.nanoTime();
        while (!socket.isClosed()) {
            HandshakeRecord r;
            int lines = 0;
            while (lines < 500 && (r = queue.poll()) != null) {
                try {
                    format.write(r, batch);
                    lines++;
                } catch (Throwable t) {
                    errors.record("watch format", t);
                }
            }
            long d = queue.dropped();
            if (d != reported) {
                batch.write(("{\"tls_agent_watch\":{\"dropped\":" + d + "}}\n").getBytes(StandardCharsets.US_ASCII));
                reported = d;
            }
            if (batch.size() > 0) {
                batch.writeTo(out);
                out.flush();
                batch.reset();
                lastWrite = System.nanoTime();
            } else if (in.available() > 0) {
                return; // the tool says goodbye (any byte after the secret)
            } else if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
                out.write('\n');
                out.flush();
                lastWrite = System.nanoTime();
            } else {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }
}
