package io.tlsagent.compat.apps;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.io.CloseMode;

/**
 * The JDK's {@code HttpsServer} on the wildcard address (IPv4 and IPv6), set up as its users do (an
 * {@code HttpsConfigurator} over an {@code SSLContext}), and two clients in the same JVM that ask for
 * {@code https://localhost:<port>}:
 * <ul>
 *   <li>{@code jdk}: the JDK's {@code HttpClient}, 2 requests on one connection;
 *   <li>{@code hc5async}: Apache HttpClient 5's async client (pooled, its default TLS strategy over the test's
 *       SSLContext), 2 requests on one connection.
 * </ul>
 * Neither the server nor the clients give an engine the other end's address. The server stays up for the test's
 * outside peers until stdin closes.
 * <pre>JdkHttpApp DIR</pre>
 */
public final class JdkHttpApp {

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(AppTls.serverContext(dir)));
        server.createContext("/", exchange -> {
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            byte[] body = App.serverView("jdk-httpserver", exchange.getProtocol(), session)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        int port = server.getAddress().getPort();
        App.say("PORT", port);
        String base = "https://localhost:" + port;

        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(AppTls.clientContext(dir)).connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(base + "/jdk/" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            SSLSession s = r.sslSession().orElseThrow();
            App.client("jdk", s.getProtocol(), s.getCipherSuite(), r.version().name(), r.body());
        }

        SSLContext ctx = AppTls.clientContext(dir);
        try (CloseableHttpAsyncClient hc = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ctx).buildAsync()).build())
                .build()) {
            hc.start();
            for (int i = 0; i < 2; i++) {
                SimpleHttpRequest request = SimpleRequestBuilder.get(base + "/hc5async/" + i).build();
                HttpClientContext context = HttpClientContext.create();
                SimpleHttpResponse r = hc.execute(request, context, null).get(10, TimeUnit.SECONDS);
                SSLSession s = context.getSSLSession();
                App.client("hc5async", s.getProtocol(), s.getCipherSuite(), r.getVersion().toString(),
                        r.getBodyText());
            }
            hc.close(CloseMode.GRACEFUL);
        }
        App.readyAndHold();
    }
}
