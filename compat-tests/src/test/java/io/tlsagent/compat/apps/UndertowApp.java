package io.tlsagent.compat.apps;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import javax.net.ssl.SSLSession;

/**
 * Undertow serving HTTPS ({@code addHttpsListener} over an {@code SSLContext}, as its users set it up), and the
 * JDK's {@code HttpClient} in the same JVM: {@code httpclient}, 2 requests on one kept-alive connection. The server stays up for the test's outside peers until stdin closes.
 * <pre>UndertowApp DIR</pre>
 */
public final class UndertowApp {

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Undertow server = Undertow.builder()
                .addHttpsListener(0, "127.0.0.1", AppTls.serverContext(dir))
                .setHandler(exchange -> {
                    SSLSession session = exchange.getConnection().getSslSessionInfo().getSSLSession();
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send(App.serverView("undertow",
                            exchange.getProtocol().toString(), session));
                })
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        App.say("PORT", port);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(AppTls.clientContext(dir)).connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/httpclient/" + i)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            SSLSession s = r.sslSession().orElseThrow();
            App.client("httpclient", s.getProtocol(), s.getCipherSuite(), r.version().name(), r.body());
        }
        App.readyAndHold();
    }
}
