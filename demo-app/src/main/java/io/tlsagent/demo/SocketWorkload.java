package io.tlsagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Handshakes through SSLSocket: three SSLServerSockets on loopback (the good server, one that only speaks
 * TLSv1.3, one with the untrusted certificate), each served by a daemon thread, and an SSLSocket client.
 */
final class SocketWorkload implements Workload {

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final String HOST = "localhost";

    private final DemoPki pki;
    private final Server server;
    private final Server tls13OnlyServer;
    private final Server untrustedServer;
    /** Per protocol, the client context of the last full handshake: its session cache holds that session. */
    private final Map<String, SSLContext> lastFullHandshake = new HashMap<>();

    SocketWorkload(DemoPki pki) throws IOException, GeneralSecurityException {
        this.pki = pki;
        this.server = new Server("server", pki.serverContext(), "TLSv1.3", "TLSv1.2");
        this.tls13OnlyServer = new Server("tls13-only", pki.serverContext(), "TLSv1.3");
        this.untrustedServer = new Server("untrusted", pki.untrustedServerContext(), "TLSv1.3", "TLSv1.2");
    }

    @Override
    public String api() {
        return "SSLSocket";
    }

    @Override
    public SSLSession handshake(HandshakeCase.Kind kind, String protocol) throws IOException, GeneralSecurityException {
        switch (kind) {
            case FULL:
                SSLContext fresh = pki.newClientContext();
                lastFullHandshake.put(protocol, fresh);
                return connect(fresh, server.port(), protocol);
            case RESUMED:
                SSLContext used = lastFullHandshake.get(protocol);
                if (used == null) { // no full handshake yet: this one is full and primes the cache
                    used = pki.newClientContext();
                    lastFullHandshake.put(protocol, used);
                }
                // Same context, same host:port: the JDK's client session cache offers the session.
                return connect(used, server.port(), protocol);
            case UNTRUSTED:
                return connect(pki.newClientContext(), untrustedServer.port(), protocol);
            case VERSION_MISMATCH:
                return connect(pki.newClientContext(), tls13OnlyServer.port(), protocol);
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    /** Handshake, send a byte, read the answer, close. */
    private static SSLSession connect(SSLContext context, int port, String protocol) throws IOException {
        // Connect to the loopback address the servers listen on, but name the peer "localhost": that name is
        // checked against the certificate and, with the port, is the key of the client session cache.
        try (Socket tcp = new Socket()) {
            tcp.setTcpNoDelay(true); // small TLS records without Nagle's delay
            tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
            tcp.setSoTimeout(TIMEOUT_MILLIS);
            // autoClose false: a failed handshake leaves the TCP connection to us (see awaitServerClose).
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, HOST, port, false)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setProtocols(new String[] {protocol});
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write('c');
                out.flush();
                InputStream in = socket.getInputStream();
                if (in.read() < 0) {
                    throw new IOException("the server closed without answering");
                }
                // Close: our close_notify, then read until the server's.
                socket.shutdownOutput();
                while (in.read() >= 0) {
                    // nothing else is expected
                }
                return socket.getSession();
            } catch (IOException failure) {
                awaitServerClose(tcp);
                throw failure;
            }
        }
    }

    /**
     * After a failed handshake, waits until the server has closed before closing too. Closing at once could cut
     * off the server while it still writes its flight: it would then see a broken pipe instead of our alert.
     */
    private static void awaitServerClose(Socket tcp) {
        try {
            InputStream in = tcp.getInputStream();
            byte[] discard = new byte[1024];
            while (in.read(discard) >= 0) {
                // whatever the server still sends before it closes
            }
        } catch (IOException e) {
            // closed or timed out: either way, done
        }
    }

    @Override
    public void close() {
        server.close();
        tls13OnlyServer.close();
        untrustedServer.close();
    }

    /** An SSLServerSocket on loopback and the daemon thread that serves it, one connection at a time. */
    private static final class Server implements Runnable {
        private final SSLServerSocket socket;

        Server(String name, SSLContext context, String... protocols) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setEnabledProtocols(protocols);
            Thread thread = new Thread(this, "demo-sslserversocket-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void run() {
            while (!socket.isClosed()) {
                SSLSocket connection;
                try {
                    connection = (SSLSocket) socket.accept();
                } catch (IOException e) {
                    return; // closed
                }
                try (SSLSocket c = connection) {
                    serve(c);
                } catch (IOException e) {
                    // The failing cases fail here too; the client side reports them.
                }
            }
        }

        /** Handshake, echo one byte, then read until the client's close_notify. */
        private static void serve(SSLSocket connection) throws IOException {
            connection.setSoTimeout(TIMEOUT_MILLIS);
            connection.setTcpNoDelay(true);
            connection.startHandshake();
            InputStream in = connection.getInputStream();
            int b = in.read();
            if (b < 0) {
                return;
            }
            OutputStream out = connection.getOutputStream();
            out.write(b);
            out.flush();
            while (in.read() >= 0) {
                // nothing else is expected
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
