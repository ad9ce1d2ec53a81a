package io.tlsagent.compat.micrometer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The part of the applications that has nothing to do with Micrometer: an HTTPS server (the JDK's HttpsServer, with
 * the test's keystore {@code DIR/server.p12}) for curl and openssl, and a plain HTTP server on loopback for the
 * test's requests ({@code GET /<name>} answers what the application registered under that name). Prints
 * {@code HTTPS-PORT n}, {@code HTTP-PORT n} and {@code READY}, then runs until its standard input closes.
 */
final class HttpsApp {

    private HttpsApp() {}

    static void serve(Path dir, Map<String, Callable<String>> pages) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(dir)));
        https.createContext("/", ex -> respond(ex, 200, "hello\n"));
        https.start();

        HttpServer http = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        for (Map.Entry<String, Callable<String>> page : pages.entrySet()) {
            http.createContext("/" + page.getKey(), handler(page.getValue()));
        }
        http.start();
        System.out.println("HTTPS-PORT " + https.getAddress().getPort());
        System.out.println("HTTP-PORT " + http.getAddress().getPort());
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our stdin
        }
        System.exit(0); // shutdown hooks (the agent's log flush) run
    }

    private static HttpHandler handler(Callable<String> page) {
        return ex -> {
            try {
                respond(ex, 200, page.call());
            } catch (Exception e) {
                respond(ex, 500, e.toString());
            }
        };
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static SSLContext serverContext(Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
