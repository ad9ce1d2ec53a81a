package io.tlsagent.export.watch;

import io.tlsagent.export.Exporter;
import io.tlsagent.export.ecs.EcsJson;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's side of {@code java -jar tls-agent.jar watch}: a loopback server socket that streams each handshake,
 * as the JSON log's line, to the clients that presented the per-JVM secret. The secret and port are in a file only
 * this JVM's user can read ({@link SecretFile}); its path is in the system property {@value #PROPERTY}.
 *
 * <p>Opened on demand by the watch tool; closed when its last client leaves (or when none came within
 * {@value #IDLE_MILLIS} ms), so a JVM nobody watches has no port open. With no client, a handshake costs one read
 * of an empty array.
 */
public final class WatchChannel implements Exporter {

    /** System property naming the secret file while the channel is open. */
    public static final String PROPERTY = "io.tlsagent.watch";
    static final int MAX_CLIENTS = 4;
    static final int IDLE_MILLIS = 60_000;

    private static final WatchClient[] NONE = new WatchClient[0];

    private final Supplier<EcsJson> formatter;
    private EcsJson format; // made when the channel first opens: a JVM nobody watches never loads the JSON writer
    private final AgentErrors errors;
    private final Runnable onClosed;
    private volatile WatchClient[] streaming = NONE;
    private final List<WatchClient> connected = new ArrayList<>();
    private ServerSocket server;
    private SecretFile file;
    private Thread acceptor;
    private long openedAt;
    private boolean everStreamed;

    /** {@code onClosed} runs (on a daemon thread) each time the channel closes by itself. */
    public WatchChannel(Supplier<EcsJson> formatter, AgentErrors errors, Runnable onClosed) {
        this.formatter = formatter;
        this.errors = errors;
        this.onClosed = onClosed;
    }

    @Override
    public void export(HandshakeRecord record) {
        for (WatchClient c : streaming) {
            c.offer(record);
        }
    }

    /** Opens the channel unless it is open; returns the secret file's path. */
    public synchronized Path open() throws IOException {
        if (server != null) {
            return file.path();
        }
        if (format == null) {
            format = formatter.get();
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        ServerSocket s = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        try {
            s.setSoTimeout(1000);
            file = SecretFile.write(s.getLocalPort(), secret);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        server = s;
        openedAt = System.currentTimeMillis();
        everStreamed = false;
        acceptor = new Thread(() -> accept(s, secret), "tls-agent-watch");
        acceptor.setDaemon(true);
        acceptor.start();
        System.setProperty(PROPERTY, file.path().toString());
        return file.path();
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    private void accept(ServerSocket s, byte[] secret) {
        while (!s.isClosed()) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (SocketTimeoutException idle) {
                closeIfIdle(s);
                continue;
            } catch (IOException | RuntimeException e) {
                return; // closed
            }
            synchronized (this) {
                if (server != s || connected.size() >= MAX_CLIENTS) {
                    closeQuietly(socket);
                    continue;
                }
                WatchClient client = new WatchClient(socket, secret, format, errors, this);
                connected.add(client);
                client.start();
            }
        }
    }

    private void closeIfIdle(ServerSocket s) {
        boolean close;
        synchronized (this) {
            close = server == s && connected.isEmpty() && !everStreamed
                    && System.currentTimeMillis() - openedAt > IDLE_MILLIS;
        }
        if (close) {
            closedByItself(s);
        }
    }

    /** The client presented the secret: from now on it gets the records. */
    synchronized void streaming(WatchClient client) {
        if (!connected.contains(client)) {
            return;
        }
        everStreamed = true;
        WatchClient[] now = Arrays.copyOf(streaming, streaming.length + 1);
        now[now.length - 1] = client;
        streaming = now;
    }

    /** The client left (or never authenticated); the channel closes when it was the last one streaming. */
    void ended(WatchClient client) {
        ServerSocket s;
        synchronized (this) {
            connected.remove(client);
            List<WatchClient> now = new ArrayList<>(Arrays.asList(streaming));
            now.remove(client);
            streaming = now.toArray(NONE);
            s = server;
            if (s == null || !everStreamed || !connected.isEmpty()) {
                return;
            }
        }
        closedByItself(s);
    }

    private void closedByItself(ServerSocket s) {
        synchronized (this) {
            if (server != s) {
                return;
            }
            closeLocked();
        }
        Thread t = new Thread(onClosed, "tls-agent-watch-closed");
        t.setDaemon(true);
        t.start();
    }

    /** Closes the channel and disconnects its clients; for detach. Never waits for a thread. */
    public synchronized void close() {
        if (server != null) {
            closeLocked();
        }
    }

    private void closeLocked() {
        streaming = NONE;
        for (WatchClient c : connected) {
            c.close();
        }
        connected.clear();
        closeQuietly(server);
        server = null;
        file.delete();
        System.clearProperty(PROPERTY);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            AgentLog.once("watch channel: " + e.getMessage());
        }
    }
}
