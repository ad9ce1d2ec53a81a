package io.tlsagent.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTPS server: the JDK's {@link HttpsServer} (which does TLS with an SSLEngine) on loopback. Every response
 * says {@code Connection: close}, so that each request of the demo's HTTP clients makes a new TLS handshake
 * (full or resumed) instead of reusing a kept-alive connection.
 */
final class HttpsEndpoint implements Server {

    private static final byte[] BODY = "hello from the tls-agent demo\n".getBytes(StandardCharsets.UTF_8);

    private final HttpsServer server;
    private final ExecutorService executor;

    HttpsEndpoint(SSLContext context, int port, String... protocols) throws IOException {
        // Small TLS records without Nagle's delay (else many exchanges wait 40 ms for a delayed ACK); read once, by
        // the JDK's server configuration, when the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setProtocols(protocols);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", HttpsEndpoint::handle);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-https-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
        }
    }

    @Override
    public String name() {
        return "https";
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public String describe() {
        return "https://localhost:" + port() + "/  HttpsServer (SSLEngine), TLSv1.3 and TLSv1.2, EC and RSA"
                + " certificates (try curl -k https://localhost:" + port() + "/ : curl's handshake is recorded too)";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
