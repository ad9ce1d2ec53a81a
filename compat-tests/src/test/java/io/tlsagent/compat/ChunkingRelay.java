package io.tlsagent.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback that passes each direction's bytes on in small pieces, each its own segment (no Nagle)
 * after a short pause: what a path with a small MTU does to a post-quantum ClientHello (about 1.5 KB). The peers
 * then read a TLS record in several parts. Which of its own ports relayed which accepted connection is kept, so that
 * the test can pair the two legs of a connection.
 */
final class ChunkingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final int piece;
    /** The port of each relayed connection's second leg (relay to target), by the client's port. */
    final Map<Integer, Integer> relayedFrom = new ConcurrentHashMap<>();

    ChunkingRelay(int target, int piece) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.piece = piece;
        daemon(this::accept, "relay-accept");
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                relayedFrom.put(client.getPort(), server.getLocalPort());
                AtomicInteger running = new AtomicInteger(2);
                daemon(() -> pump(client, server, running), "relay-up");
                daemon(() -> pump(server, client, running), "relay-down");
            } catch (IOException closed) {
                // the relay was closed
            }
        }
    }

    /** One direction; at its end, the end of the other leg's output; the last of the two closes both legs. */
    private void pump(Socket from, Socket to, AtomicInteger running) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int offset = 0; offset < n; offset += piece) {
                    out.write(buffer, offset, Math.min(piece, n - offset));
                    out.flush();
                    Thread.sleep(5); // so that the reader gets the pieces one at a time
                }
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException ended) {
            close(from);
            close(to);
        }
        if (running.decrementAndGet() == 0) {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
