package io.tlsagent.compat.apps;

import io.tlsagent.testsupport.EnginePair;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt ({@code Conscrypt.newProvider()}, BoringSSL inside) in one JVM with the agent, through the plain JSSE
 * API ({@code SSLContext.getInstance("TLS", conscrypt)}):
 * <ul>
 *   <li>{@code engine13}, {@code engine12}: a Conscrypt client engine and a Conscrypt server engine pumped in
 *       memory, TLS 1.3 or 1.2 only, ALPN http/1.1, one context per side: 2 handshakes, each followed by one
 *       message each way (the TLS 1.3 client gets its tickets); the client engine is made for {@code localhost}
 *       and one port, so the second handshake can resume;
 *   <li>{@code untrusted}: the same pair, the client trusting only the JDK's CAs: 1 handshake, fails on both ends
 *       (the failing engine's alert is wrapped and handed to the peer, as the SSLEngine contract says);
 *   <li>{@code socket13}, {@code socket12}: Conscrypt's SSLSocket as the client of a JDK {@code SSLServerSocket}
 *       (SunJSSE), TLS 1.3 or 1.2 only, host name checked, one context: 2 connections. On OpenJDK this is
 *       Conscrypt's engine-based socket, which runs a Conscrypt engine inside (the file-descriptor socket needs
 *       the plain socket implementation of Java 12 and older);
 *   <li>{@code socketuntrusted}: the same, TLS 1.3, the client trusting only the JDK's CAs: 1 connection, fails on
 *       both ends.
 * </ul>
 * Each handshake of each side is one {@code HS} line ({@link HandshakeLines}). The key of an engine pair's
 * handshake is its number, given to the server engine as the peer port; of a connection, the client's port.
 * Conscrypt has no public API that says whether a session was resumed: its lines say {@code ?}.
 * <pre>ConscryptApp DIR</pre>
 */
public final class ConscryptApp {

    private static final String ALPN = "http/1.1";
    private static final AtomicInteger SERVER_LINES = new AtomicInteger();
    private static int handshakes;

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Provider conscrypt = Conscrypt.newProvider();
        App.say("CONSCRYPT", Conscrypt.version().major() + "." + Conscrypt.version().minor() + "."
                + Conscrypt.version().patch());

        SSLContext server = SSLContext.getInstance("TLS", conscrypt);
        server.init(AppTls.keyManagers(dir).getKeyManagers(), null, null);
        enginePairs("engine13", "TLSv1.3", trusting(conscrypt, dir), server, 1013, 2);
        enginePairs("engine12", "TLSv1.2", trusting(conscrypt, dir), server, 1012, 2);
        SSLContext trustsJdkCas = SSLContext.getInstance("TLS", conscrypt);
        trustsJdkCas.init(null, null, null);
        enginePairs("untrusted", "TLSv1.3", trustsJdkCas, server, 1099, 1);

        int port = jdkServer(dir);
        App.say("PORT", port);
        int connections = 0;
        connections += sockets("socket13", "TLSv1.3", trusting(conscrypt, dir).getSocketFactory(), port, 2);
        connections += sockets("socket12", "TLSv1.2", trusting(conscrypt, dir).getSocketFactory(), port, 2);
        connections += sockets("socketuntrusted", "TLSv1.3", trustsJdkCas.getSocketFactory(), port, 1);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (SERVER_LINES.get() < connections && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        App.say("CONNECTIONS", connections);
        App.say("SERVER_HANDSHAKES", SERVER_LINES.get());
        App.readyAndHold();
    }

    /**
     * A Conscrypt client context trusting the test CA, through Conscrypt's own trust manager: the JDK's rejects the
     * auth type Conscrypt passes for TLS 1.3 ({@code CertificateException: Unknown authType: GENERIC}).
     */
    static SSLContext trusting(Provider conscrypt, Path dir) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve(AppTls.CA_CERT))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", conscrypt);
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS", conscrypt);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    // ---- SSLEngine pairs, in memory

    private static void enginePairs(String scenario, String protocol, SSLContext clientCtx, SSLContext serverCtx,
            int clientPeerPort, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            int key = ++handshakes;
            SSLEngine client = clientCtx.createSSLEngine("localhost", clientPeerPort);
            client.setUseClientMode(true);
            SSLEngine server = serverCtx.createSSLEngine("127.0.0.1", key);
            server.setUseClientMode(false);
            for (SSLEngine e : new SSLEngine[] {client, server}) {
                SSLParameters p = e.getSSLParameters();
                p.setProtocols(new String[] {protocol});
                p.setApplicationProtocols(new String[] {ALPN});
                e.setSSLParameters(p);
            }
            pump(scenario, key, client, server);
        }
    }

    /**
     * The handshake to its end in memory, each side's failure its own (the failing engine's alert is wrapped and
     * handed to the peer, as the SSLEngine contract says); if both succeeded, one message each way (the TLS 1.3
     * client reads the server's tickets before it). Then each side's line.
     */
    private static void pump(String scenario, int key, SSLEngine clientEngine, SSLEngine serverEngine)
            throws Exception {
        EnginePair pair = new EnginePair(clientEngine, serverEngine).run();
        if (pair.firstFailure() == null) {
            exchange(pair, clientEngine, "hello " + key);
            exchange(pair, serverEngine, "hello " + key);
        }
        report(scenario, key, "client", clientEngine, pair.clientFailure());
        report(scenario, key, "server", serverEngine, pair.serverFailure());
    }

    private static void exchange(EnginePair pair, SSLEngine from, String message) throws SSLException {
        String got = pair.send(from, message);
        if (!got.equals(message)) {
            throw new IllegalStateException((from == pair.client ? "server" : "client") + " got '" + got
                    + "', not '" + message + "'");
        }
    }

    private static void report(String scenario, int key, String role, SSLEngine engine, SSLException failure) {
        if (failure != null) {
            HandshakeLines.failed(role, scenario, key, failure);
        } else {
            HandshakeLines.ok(role, scenario, key, engine.getSession(), "?", engine.getApplicationProtocol());
        }
    }

    // ---- Conscrypt SSLSocket clients of a JDK SSLServerSocket

    /** A JDK (SunJSSE) server on loopback, TLS 1.3 and 1.2, ALPN http/1.1, one connection at a time. */
    private static int jdkServer(Path dir) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) AppTls.serverContext(dir).getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters p = listener.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        p.setApplicationProtocols(new String[] {ALPN});
        listener.setSSLParameters(p);
        Thread t = new Thread(() -> {
            while (true) {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    try {
                        s.startHandshake();
                    } catch (Exception e) {
                        HandshakeLines.failed("server", "-", s.getPort(), e);
                        SERVER_LINES.incrementAndGet();
                        continue;
                    }
                    HandshakeLines.ok("server", "-", s.getPort(), s.getSession(), "?", s.getApplicationProtocol());
                    SERVER_LINES.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    out.write(("hello " + s.getPort() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    while (s.getInputStream().read() >= 0) {
                        // until the client closes
                    }
                } catch (Exception e) {
                    if (listener.isClosed()) {
                        return;
                    }
                }
            }
        }, "jdk-server");
        t.setDaemon(true);
        t.start();
        return listener.getLocalPort();
    }

    private static int sockets(String scenario, String protocol, SSLSocketFactory factory, int port,
            int connections) throws Exception {
        for (int i = 0; i < connections; i++) {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            try (SSLSocket s = (SSLSocket) factory.createSocket(plain, "localhost", port, true)) {
                if (i == 0) {
                    App.say("SOCKET", s.getClass().getName());
                }
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {protocol});
                p.setApplicationProtocols(new String[] {ALPN});
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.setSoTimeout(10_000);
                try {
                    s.startHandshake();
                } catch (SSLException e) {
                    HandshakeLines.failed("client", scenario, s.getLocalPort(), e);
                    continue;
                }
                HandshakeLines.ok("client", scenario, s.getLocalPort(), s.getSession(), "?",
                        s.getApplicationProtocol());
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (!("hello " + s.getLocalPort()).equals(line)) {
                    throw new IllegalStateException(scenario + ": server said " + line);
                }
            }
        }
        return connections;
    }
}
