package io.tlsagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on raw sockets (an {@link SSLServerSocket} on loopback): an acceptor thread and a thread per
 * connection, all daemons. Each connection: handshake, send one byte, read what the client sends until its
 * close_notify.
 */
final class TlsServer implements Server {

    static final int TIMEOUT_MILLIS = 5_000;

    private final String name;
    private final String description;
    private final SSLServerSocket socket;
    private final ExecutorService connections;

    /**
     * @param protocols the protocols it accepts
     * @param cipherSuites the suites it accepts, or null for the JDK's default
     * @param needClientAuth whether it requires a client certificate (mutual TLS)
     */
    TlsServer(String name, String description, SSLContext context, String[] protocols, String[] cipherSuites,
            boolean needClientAuth) throws IOException {
        this.name = name;
        this.description = description;
        socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites != null) {
            parameters.setCipherSuites(cipherSuites);
        }
        parameters.setNeedClientAuth(needClientAuth);
        socket.setSSLParameters(parameters);
        AtomicInteger n = new AtomicInteger();
        connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demo-tls-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::accept, "demo-tls-" + name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public String describe() {
        return "tls://localhost:" + port() + "  " + description;
    }

    private void accept() {
        while (!socket.isClosed()) {
            SSLSocket connection;
            try {
                connection = (SSLSocket) socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                connections.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                close(connection);
                return;
            }
        }
    }

    /** Handshake, send one byte, then read until the client's close_notify. Failing cases fail here too. */
    private static void serve(SSLSocket connection) {
        try (SSLSocket c = connection) {
            c.setSoTimeout(TIMEOUT_MILLIS);
            c.setTcpNoDelay(true);
            c.startHandshake();
            OutputStream out = c.getOutputStream();
            out.write('s');
            out.flush();
            InputStream in = c.getInputStream();
            while (in.read() >= 0) {
                // nothing else is expected
            }
        } catch (IOException e) {
            // the client side reports what went wrong
        }
    }

    private static void close(SSLSocket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
        connections.shutdownNow();
    }
}
