package io.tlsagent.compat.apps;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Netty's OpenSSL engine ({@link SslProvider#OPENSSL}, BoringSSL from netty-tcnative) on both ends, and the JDK's
 * {@code SSLSocket} (SunJSSE) as a client of the same server, in one JVM. Two Netty servers on the OpenSSL engine:
 * {@code main} (TLS 1.3 and 1.2, ALPN http/1.1) and {@code tls13only}, their handlers made with
 * {@code newHandler(alloc)} as servers do (no peer address for the engine). On each connection the server writes one line and the client reads it (so
 * a TLS 1.3 client has the server's session tickets) and closes. Scenarios, each with one client context:
 * <ul>
 *   <li>{@code openssl13}, {@code openssl12}: Netty OpenSSL client, TLS 1.3 or 1.2 only, SNI
 *       {@code compat.tls-agent.test} (so no host name check), 2 connections: the second resumes;
 *   <li>{@code jdk13}, {@code jdk12}: JDK SSLSocket, TLS 1.3 or 1.2 only, host name checked, 2 connections: the
 *       second resumes (the same connection, seen by SunJSSE on one end and the OpenSSL engine on the other);
 *   <li>{@code untrusted}: Netty OpenSSL client that trusts only the JDK's CAs: 1 connection, fails on both ends;
 *   <li>{@code version}: Netty OpenSSL client, TLS 1.2 only, to the TLS 1.3-only server: fails on both ends.
 * </ul>
 * Each handshake of each side is one {@code HS} line ({@link HandshakeLines}, key = the client's port); whether a
 * session was reused is what BoringSSL says ({@code SSL_session_reused}) for the OpenSSL ends, {@code ?} for the JDK.
 * <pre>NettyOpenSslApp DIR</pre>
 */
public final class NettyOpenSslApp {

    static final String SNI = "compat.tls-agent.test";
    /** Server lines printed so far (also {@link WireAnatomyApp}'s, whose Netty server is made here). */
    static final AtomicInteger SERVER_LINES = new AtomicInteger();
    static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1);

    public static void main(String[] args) throws Exception {
        // Netty would log through the SLF4J API on the class path, which has no binding here and says so on stderr
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        Path dir = Paths.get(args[0]);
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("Netty's OpenSSL engine is not available", OpenSsl.unavailabilityCause());
        }
        App.say("NETTY", io.netty.util.Version.identify().get("netty-handler").artifactVersion());
        App.say("OPENSSL", OpenSsl.versionString().replace(' ', '_'));

        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        EventLoopGroup clients = new NioEventLoopGroup(1);
        int main = server(boss, workers, SslContextBuilder.forServer(AppTls.keyManagers(dir))
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3", "TLSv1.2").applicationProtocolConfig(ALPN)
                .build());
        int tls13only = server(boss, workers, SslContextBuilder.forServer(AppTls.keyManagers(dir))
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3").build());
        App.say("PORT", main);
        App.say("PORT_TLS13ONLY", tls13only);

        int connections = 0;
        connections += nettyClient("openssl13", clients, trusting(dir).protocols("TLSv1.3").build(), main, 2);
        connections += nettyClient("openssl12", clients, trusting(dir).protocols("TLSv1.2").build(), main, 2);
        connections += jdkClient("jdk13", "TLSv1.3", dir, main, 2);
        connections += jdkClient("jdk12", "TLSv1.2", dir, main, 2);
        connections += nettyClient("untrusted", clients, SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL).applicationProtocolConfig(ALPN).build(), main, 1);
        connections += nettyClient("version", clients, trusting(dir).protocols("TLSv1.2").build(), tls13only, 1);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (SERVER_LINES.get() < connections && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        App.say("CONNECTIONS", connections);
        App.say("SERVER_HANDSHAKES", SERVER_LINES.get());
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        App.readyAndHold();
    }

    /** A Netty OpenSSL client context trusting the test CA, offering http/1.1, with no host name check (SNI is set). */
    private static SslContextBuilder trusting(Path dir) throws Exception {
        return SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).trustManager(AppTls.trustManager(dir))
                .applicationProtocolConfig(ALPN).endpointIdentificationAlgorithm(null);
    }

    static int server(EventLoopGroup boss, EventLoopGroup workers, SslContext tls) throws Exception {
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // As servers do: no peer for the engine (the port is only for the program's own lines).
                        SslHandler ssl = tls.newHandler(ch.alloc());
                        ch.pipeline().addLast(ssl, new StringEncoder(StandardCharsets.UTF_8),
                                new ServerSide(ssl, ch.remoteAddress().getPort()));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Reports the server's end of each handshake once (with the group BoringSSL says, a {@code GROUP} line for
     * {@link WireAnatomyApp}'s test), and on success says hello.
     */
    static final class ServerSide extends ChannelInboundHandlerAdapter {
        private final SslHandler ssl;
        private final int clientPort;

        ServerSide(SslHandler ssl, int clientPort) {
            this.ssl = ssl;
            this.clientPort = clientPort;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
                if (done.isSuccess()) {
                    App.say("GROUP", "server " + clientPort + " " + namedGroup(ssl.engine().getSession()));
                    HandshakeLines.ok("server", "-", clientPort, ssl.engine().getSession(), reused(ssl.engine()),
                            ssl.applicationProtocol());
                    ctx.writeAndFlush("hello " + clientPort + "\n");
                } else {
                    HandshakeLines.failed("server", "-", clientPort, done.cause());
                    ctx.close();
                }
                SERVER_LINES.incrementAndGet();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the handshake's failure is reported above; nothing reaches Netty's tail logger
        }
    }

    private static int nettyClient(String scenario, EventLoopGroup group, SslContext tls, int port,
            int connections) throws Exception {
        for (int i = 0; i < connections; i++) {
            CompletableFuture<String> hello = new CompletableFuture<>();
            CompletableFuture<SslHandler> handler = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), "localhost", port);
                            SSLParameters params = ssl.engine().getSSLParameters();
                            params.setServerNames(List.of(new SNIHostName(SNI)));
                            ssl.engine().setSSLParameters(params);
                            handler.complete(ssl);
                            ch.pipeline().addLast(ssl, new LineBasedFrameDecoder(1024),
                                    new StringDecoder(StandardCharsets.UTF_8), new ClientSide(hello));
                        }
                    })
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
            int localPort = ((InetSocketAddress) ch.localAddress()).getPort();
            SslHandler ssl = handler.getNow(null); // a failed handshake may have taken it off the pipeline already
            Future<Channel> handshake = ssl.handshakeFuture();
            if (!handshake.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(scenario + ": no handshake result in 10 s");
            }
            if (handshake.isSuccess()) {
                HandshakeLines.ok("client", scenario, localPort, ssl.engine().getSession(), reused(ssl.engine()),
                        ssl.applicationProtocol());
                String line = hello.get(10, TimeUnit.SECONDS);
                if (!line.equals("hello " + localPort)) {
                    throw new IllegalStateException(scenario + ": server said " + line);
                }
            } else {
                HandshakeLines.failed("client", scenario, localPort, handshake.cause());
            }
            ch.close().sync();
        }
        return connections;
    }

    /** Hands the server's line to the program; failures are reported by the handshake future. */
    static final class ClientSide extends SimpleChannelInboundHandler<String> {
        private final CompletableFuture<String> hello;

        ClientSide(CompletableFuture<String> hello) {
            this.hello = hello;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            hello.complete(line);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            hello.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** Netty 4.2's {@code OpenSslSession.getNamedGroup()}: BoringSSL's {@code SSL_get_group_name}; ? if none. */
    static String namedGroup(SSLSession session) {
        try {
            Method m = session.getClass().getMethod("getNamedGroup");
            m.setAccessible(true);
            return String.valueOf(m.invoke(session));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }

    /** What BoringSSL itself says: {@code SSL_session_reused}. */
    static String reused(SSLEngine engine) {
        return Boolean.toString(SSL.isSessionReused(((ReferenceCountedOpenSslEngine) engine).sslPointer()));
    }

    /** The JDK's SSLSocket (SunJSSE) with one SSLContext: ALPN http/1.1, host name checked for "localhost". */
    private static int jdkClient(String scenario, String protocol, Path dir, int port, int connections)
            throws Exception {
        SSLContext ctx = AppTls.clientContext(dir);
        for (int i = 0; i < connections; i++) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                SSLParameters params = s.getSSLParameters();
                params.setProtocols(new String[] {protocol});
                params.setApplicationProtocols(new String[] {ApplicationProtocolNames.HTTP_1_1});
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
                s.startHandshake();
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
