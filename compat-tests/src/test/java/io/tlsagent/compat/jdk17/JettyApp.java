package io.tlsagent.compat.jdk17;

import io.tlsagent.compat.apps.App;
import io.tlsagent.compat.apps.AppTls;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 serving HTTPS with HTTP/2 and HTTP/1.1 over ALPN (the JDK's own ALPN), and four clients in the same
 * JVM:
 * <ul>
 *   <li>{@code h2-first}: a {@link HttpClient} asking for HTTP/2, three requests in turn: one connection;
 *   <li>{@code h2-second}: a second HttpClient on the same SSLContext, one request: a new connection that can
 *       resume the first one's session;
 *   <li>{@code urlconnection}: {@link HttpsURLConnection} with keep-alive off, two requests: two connections,
 *       HTTP/1.1, no ALPN offered;
 *   <li>Jetty's own {@code HttpClient} (HTTP/1.1), two requests on one connection ({@code JETTY_CLIENT} lines).
 * </ul>
 * None of them gives an engine the other end's address. The server stays up for the test's outside peers until
 * stdin closes.
 * <pre>JettyApp DIR</pre>
 */
public final class JettyApp {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        System.setProperty("http.keepAlive", "false"); // HttpsURLConnection: one connection per request

        Server server = new Server();
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(AppTls.keystore(dir).toString());
        tls.setKeyStorePassword(AppTls.PASSWORD);
        tls.setKeyStoreType("PKCS12");
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()),
                alpn, h2, http11);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "text/plain");
                SSLSession session = request.getConnectionMetaData().getConnection().getEndPoint()
                        .getSslSessionData().sslSession();
                Content.Sink.write(response, true, App.serverView("jetty",
                        request.getConnectionMetaData().getHttpVersion().asString(), session), callback);
                return true;
            }
        });
        server.start();
        int port = connector.getLocalPort();
        App.say("PORT", port);
        String base = "https://localhost:" + port;

        SSLContext shared = AppTls.clientContext(dir);
        HttpClient first = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(shared)
                .connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 3; i++) {
            get(first, base + "/h2-first/" + i, "h2-first");
        }
        HttpClient second = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(shared)
                .connectTimeout(Duration.ofSeconds(10)).build();
        get(second, base + "/h2-second/0", "h2-second");

        SSLContext urlContext = AppTls.clientContext(dir);
        for (int i = 0; i < 2; i++) {
            HttpsURLConnection c = (HttpsURLConnection) new URL(base + "/urlconnection/" + i).openConnection();
            c.setSSLSocketFactory(urlContext.getSocketFactory());
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException(c.getURL() + " -> " + c.getResponseCode());
            }
            SSLSession s = c.getSSLSession().orElseThrow(); // while connected
            String body;
            try (InputStream in = c.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            App.client("urlconnection", s.getProtocol(), s.getCipherSuite(), "HTTP/1.1", body);
            c.disconnect();
        }
        // Jetty's own client, HTTP/1.1 (no ALPN module), two requests on one pooled connection.
        org.eclipse.jetty.client.HttpClient jettyClient = new org.eclipse.jetty.client.HttpClient();
        SslContextFactory.Client clientTls = new SslContextFactory.Client();
        clientTls.setSslContext(AppTls.clientContext(dir));
        jettyClient.setSslContextFactory(clientTls);
        jettyClient.start();
        for (int i = 0; i < 2; i++) {
            ContentResponse r = jettyClient.GET(base + "/jetty-client/" + i);
            if (r.getStatus() != 200) {
                throw new IllegalStateException("jetty-client -> " + r.getStatus());
            }
            App.say("JETTY_CLIENT", r.getContentAsString());
        }
        jettyClient.stop();
        App.readyAndHold();
    }

    private static void get(HttpClient client, String url, String scenario) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " -> " + r.statusCode());
        }
        SSLSession s = r.sslSession().orElseThrow();
        App.client(scenario, s.getProtocol(), s.getCipherSuite(), r.version().name(), r.body());
    }
}
