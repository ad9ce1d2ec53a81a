package io.tlsagent.compat.apps;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;

/**
 * A Netty HTTPS server on the JDK's SSLEngine ({@link SslProvider#JDK}) that offers ALPN {@code http/1.1}, and
 * OkHttp 5 as the client (SSLSocket, ALPN {@code h2} and {@code http/1.1}) in the same JVM. Per scenario, one
 * OkHttpClient with its own SSLContext makes requests on its pooled connection, then evicts the pool and makes
 * one more request on a new connection:
 * <ul>
 *   <li>{@code tls13}: 3 requests, evict, 1 request: 2 connections;
 *   <li>{@code tls12}: TLS 1.2 only, 1 request, evict, 1 request: 2 connections.
 * </ul>
 * <pre>NettyOkHttpApp DIR</pre>
 */
public final class NettyOkHttpApp {

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        SslContext tls = SslContextBuilder.forServer(AppTls.keyManagers(dir))
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1))
                .build();
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(),
                                new HttpObjectAggregator(65536), new Hello());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        App.say("PORT", port);
        App.say("NETTY", io.netty.util.Version.identify().get("netty-handler").artifactVersion());
        App.say("OKHTTP", okhttp3.OkHttp.VERSION);

        scenario("tls13", TlsVersion.TLS_1_3, 3, port, dir);
        scenario("tls12", TlsVersion.TLS_1_2, 1, port, dir);
        App.readyAndHold();
    }

    private static void scenario(String name, TlsVersion version, int firstRequests, int port, Path dir)
            throws Exception {
        SSLContext ctx = AppTls.clientContext(dir);
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(ctx.getSocketFactory(), AppTls.trustManager(dir))
                .connectionSpecs(List.of(new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
                        .tlsVersions(version).build()))
                // localhost is 127.0.0.1 only: no second (IPv6) route raced by fast fallback
                .dns(host -> List.of(InetAddress.getLoopbackAddress()))
                .retryOnConnectionFailure(false)
                .callTimeout(10, TimeUnit.SECONDS)
                .build();
        for (int i = 0; i < firstRequests; i++) {
            get(client, "https://localhost:" + port + "/" + name + "/" + i, name);
        }
        client.connectionPool().evictAll();
        get(client, "https://localhost:" + port + "/" + name + "/again", name);
        client.connectionPool().evictAll();
        client.dispatcher().executorService().shutdown();
    }

    private static void get(OkHttpClient client, String url, String scenario) throws Exception {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            if (r.code() != 200) {
                throw new IllegalStateException(url + " -> " + r.code());
            }
            String body = r.body().string();
            App.client(scenario, r.handshake().tlsVersion().javaName(), r.handshake().cipherSuite().javaName(),
                    r.protocol().toString(), body);
        }
    }

    /** Answers every request with what the server saw of its TLS connection. */
    static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            String body = App.serverView("netty", req.protocolVersion().text(), ssl.engine().getSession())
                    + " alpn=" + ssl.applicationProtocol();
            FullHttpResponse resp = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(resp, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
