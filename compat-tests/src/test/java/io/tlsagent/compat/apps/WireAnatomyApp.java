package io.tlsagent.compat.apps;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Provider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.conscrypt.Conscrypt;

/**
 * TLS engines other than SunJSSE over real TCP on loopback, each configured as its users do, for a test that captures
 * the same connections with tshark ({@code WireAnatomyIT}). Two servers, both with their library's default groups:
 * <ul>
 *   <li>{@code netty}: Netty on its OpenSSL engine ({@link SslProvider#OPENSSL}, BoringSSL from netty-tcnative),
 *       TLS 1.3 and 1.2, ALPN http/1.1, {@code newHandler(alloc)} as servers do;
 *   <li>{@code conscrypt}: Conscrypt's {@code SSLServerSocket} ({@code SSLContext.getInstance("TLS",
 *       Conscrypt.newProvider())}); each accepted socket handshakes when the server first writes to it.
 * </ul>
 * The program prints {@code NETTY_PORT}, {@code CONSCRYPT_PORT} and {@code LISTENING}, then waits for the line
 * {@code connect RELAY_PORT} on stdin (the test captures by then; its relay passes bytes on to the Netty server in
 * small pieces) and makes one connection per scenario, one at a time:
 * <ul>
 *   <li>{@code netty}: a Netty OpenSSL client ({@code newHandler(alloc)}, no peer, so no SNI and no host name
 *       check) to the Netty server;
 *   <li>{@code split}: the same client through the relay: each end reads the other's records in several parts;
 *   <li>{@code conscrypt}: a Conscrypt {@code SSLSocket} to the Conscrypt server, host name checked;
 *   <li>{@code bc}: Bouncy Castle's JSSE as Netty users run it ({@link SslProvider#JDK} with
 *       {@code sslContextProvider(BCJSSE)}, {@code newHandler(alloc, host, port)}) to the Netty server;
 *   <li>{@code jdk}: the JDK's {@code SSLSocket} (SunJSSE) to the Conscrypt server.
 * </ul>
 * Then {@code DONE connect RELAY_PORT}; the test's openssl clients use the Netty server next; the program holds
 * until stdin ends. Lines, each keyed by the client's port:
 * <pre>
 * CONN &lt;scenario&gt; &lt;client port&gt;
 * HS ...                                  (HandshakeLines: what each side's library said)
 * GROUP &lt;role&gt; &lt;client port&gt; &lt;group&gt;    the group the library itself says was negotiated
 * </pre>
 * {@code GROUP} is an oracle for the test, read from each library's own API: Netty's
 * {@code OpenSslSession.getNamedGroup()} (BoringSSL's name), Conscrypt's package-private
 * {@code getCurveNameForTesting()} (BoringSSL's name), Bouncy Castle's {@code SecurityParameters.getNegotiatedGroup()}
 * (the code point, in decimal); {@code ?} where the library cannot say.
 * <pre>WireAnatomyApp DIR</pre>
 */
public final class WireAnatomyApp {

    /** Server lines printed so far: the Netty server's (made by {@link NettyOpenSslApp}) and Conscrypt's. */
    private static final AtomicInteger SERVER_LINES = NettyOpenSslApp.SERVER_LINES;
    private static int relayPort;
    /**
     * Bouncy Castle's JSSE logs through java.util.logging (INFO and WARNING on stderr: the security properties it
     * read, the entries it ignores); held here so that the level set stays.
     */
    private static final Logger BOUNCY_CASTLE_LOG = Logger.getLogger("org.bouncycastle");
    private static final ApplicationProtocolConfig ALPN = NettyOpenSslApp.ALPN;

    public static void main(String[] args) throws Exception {
        // Netty would log through the SLF4J API on the class path, which has no binding here and says so on stderr
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        BOUNCY_CASTLE_LOG.setLevel(Level.SEVERE);
        Path dir = Paths.get(args[0]);
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("Netty's OpenSSL engine is not available", OpenSsl.unavailabilityCause());
        }
        Provider conscrypt = Conscrypt.newProvider();
        App.say("NETTY", io.netty.util.Version.identify().get("netty-handler").artifactVersion());
        App.say("OPENSSL", OpenSsl.versionString().replace(' ', '_'));
        App.say("CONSCRYPT", Conscrypt.version().major() + "." + Conscrypt.version().minor() + "."
                + Conscrypt.version().patch());

        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        EventLoopGroup clients = new NioEventLoopGroup(1);
        int nettyPort = NettyOpenSslApp.server(boss, workers, SslContextBuilder.forServer(AppTls.keyManagers(dir))
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3", "TLSv1.2").applicationProtocolConfig(ALPN)
                .build());
        SSLContext conscryptServer = SSLContext.getInstance("TLS", conscrypt);
        conscryptServer.init(AppTls.keyManagers(dir).getKeyManagers(), null, null);
        int conscryptPort = conscryptServer(conscryptServer);
        App.say("NETTY_PORT", nettyPort);
        App.say("CONSCRYPT_PORT", conscryptPort);
        System.out.println("LISTENING");
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command = stdin.readLine();
        if (command == null || !command.startsWith("connect ")) {
            throw new IllegalStateException("expected 'connect RELAY_PORT' on stdin, got " + command);
        }
        relayPort = Integer.parseInt(command.substring("connect ".length()));
        SslContext nettyClient = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(AppTls.trustManager(dir)).applicationProtocolConfig(ALPN)
                .endpointIdentificationAlgorithm(null).build();
        nettyClient("netty", clients, nettyClient, nettyPort, false);
        nettyClient("split", clients, nettyClient, relayPort, false);
        conscryptClient(conscrypt, dir, conscryptPort);
        SslContext bcClient = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .sslContextProvider(new BouncyCastleJsseProvider(new BouncyCastleProvider()))
                .trustManager(AppTls.trustManager(dir)).build();
        nettyClient("bc", clients, bcClient, nettyPort, true);
        jdkClient(dir, conscryptPort);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (SERVER_LINES.get() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        App.say("SERVER_HANDSHAKES", SERVER_LINES.get());
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        App.say("DONE", command);
        App.say("JAVA", Runtime.version().feature());
        System.out.flush();
        while (stdin.readLine() != null) {
            // until the test closes our stdin
        }
        System.exit(0); // shutdown hooks (the agent's log flush) run
    }

    // ---- servers

    /** Conscrypt's server socket on loopback; each accepted socket handshakes when the server first writes. */
    private static int conscryptServer(SSLContext ctx) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    int port = s.getPort();
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(("hello " + port + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (Exception e) {
                        HandshakeLines.failed("server", "-", port, e);
                        SERVER_LINES.incrementAndGet();
                        continue;
                    }
                    group("server", port, conscryptGroup(s));
                    HandshakeLines.ok("server", "-", port, s.getSession(), "?", s.getApplicationProtocol());
                    SERVER_LINES.incrementAndGet();
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // until the client closes
                    }
                } catch (Exception e) {
                    if (listener.isClosed()) {
                        return;
                    }
                }
            }
        }, "conscrypt-server");
        t.setDaemon(true);
        t.start();
        return listener.getLocalPort();
    }

    // ---- clients

    /** One connection of a Netty client; {@code toHost}: made with the server's name and port (SNI, host check). */
    private static void nettyClient(String scenario, EventLoopGroup group, SslContext tls, int port, boolean toHost)
            throws Exception {
        CompletableFuture<String> hello = new CompletableFuture<>();
        CompletableFuture<SslHandler> handler = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = toHost ? tls.newHandler(ch.alloc(), "localhost", port)
                                : tls.newHandler(ch.alloc());
                        handler.complete(ssl);
                        ch.pipeline().addLast(ssl, new LineBasedFrameDecoder(1024),
                                new StringDecoder(StandardCharsets.UTF_8), new NettyOpenSslApp.ClientSide(hello));
                    }
                })
                .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        int localPort = ((InetSocketAddress) ch.localAddress()).getPort();
        App.say("CONN", scenario + " " + localPort);
        SslHandler ssl = handler.getNow(null);
        if (!ssl.handshakeFuture().await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(scenario + ": no handshake result in 10 s");
        }
        if (ssl.handshakeFuture().isSuccess()) {
            SSLEngine engine = ssl.engine();
            group("client", localPort, engine instanceof BCSSLEngine ? bcGroup((BCSSLEngine) engine)
                    : NettyOpenSslApp.namedGroup(engine.getSession()));
            HandshakeLines.ok("client", scenario, localPort, engine.getSession(), "?", ssl.applicationProtocol());
            String line = hello.get(10, TimeUnit.SECONDS);
            // through the relay, the server names the relay's port
            if (!line.equals("hello " + localPort) && !(port == relayPort && line.startsWith("hello "))) {
                throw new IllegalStateException(scenario + ": server said " + line);
            }
        } else {
            HandshakeLines.failed("client", scenario, localPort, ssl.handshakeFuture().cause());
        }
        ch.close().sync();
    }

    /**
     * Conscrypt's SSLSocket, as its users make one: a context of Conscrypt's provider trusting the test CA, a socket
     * to the server by name, the host name checked.
     */
    private static void conscryptClient(Provider conscrypt, Path dir, int port) throws Exception {
        socketClient("conscrypt", ConscryptApp.trusting(conscrypt, dir), port);
    }

    /** The JDK's SSLSocket (SunJSSE): a context trusting the test CA, the host name checked. */
    private static void jdkClient(Path dir, int port) throws Exception {
        socketClient("jdk", AppTls.clientContext(dir), port);
    }

    private static void socketClient(String scenario, SSLContext ctx, int port) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            App.say("CONN", scenario + " " + s.getLocalPort());
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.startHandshake();
            group("client", s.getLocalPort(), scenario.equals("conscrypt") ? conscryptGroup(s) : "?");
            HandshakeLines.ok("client", scenario, s.getLocalPort(), s.getSession(), "?", s.getApplicationProtocol());
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (!("hello " + s.getLocalPort()).equals(line)) {
                throw new IllegalStateException(scenario + ": server said " + line);
            }
        }
    }

    // ---- each library's own word on the negotiated group (oracles for the test)

    private static synchronized void group(String role, int clientPort, String group) {
        App.say("GROUP", role + " " + clientPort + " " + group);
    }

    /** Conscrypt's package-private {@code getCurveNameForTesting()} of its sockets: BoringSSL's group name. */
    private static String conscryptGroup(SSLSocket socket) {
        for (Class<?> c = socket.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod("getCurveNameForTesting");
                if (java.lang.reflect.Modifier.isAbstract(m.getModifiers())) {
                    continue;
                }
                m.setAccessible(true);
                return String.valueOf(m.invoke(socket));
            } catch (NoSuchMethodException notHere) {
                // its superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "?";
            }
        }
        return "?";
    }

    /**
     * Bouncy Castle's {@code SecurityParameters.getNegotiatedGroup()} (public bctls API), reached through the
     * engine's connection, whose {@code getTlsContext()} is package-private: the code point, in decimal.
     */
    private static String bcGroup(BCSSLEngine engine) {
        try {
            Object connection = engine.getConnection();
            Method tlsContext = connection.getClass().getDeclaredMethod("getTlsContext");
            tlsContext.setAccessible(true);
            SecurityParameters sp = ((TlsContext) tlsContext.invoke(connection)).getSecurityParametersConnection();
            return Integer.toString(sp.getNegotiatedGroup());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}
