package io.tlsagent.compat.apps;

import static net.bytebuddy.matcher.ElementMatchers.named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;

/**
 * An application with its own copies of what the agent shades, at other versions: Jackson (JSON bodies), Micrometer
 * with a PrometheusMeterRegistry served on its own scrape endpoint, and Byte Buddy (defines a class at run time).
 * It serves HTTPS with the JDK's HttpsServer (SSLEngine) and calls itself twice with HttpsURLConnection (SSLSocket,
 * keep-alive off: two connections). The server echoes the {@code traceparent} header a tracing agent adds.
 * <pre>CoexistenceApp DIR</pre>
 */
public final class CoexistenceApp {

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        System.setProperty("http.keepAlive", "false"); // one connection per request
        InetAddress loopback = InetAddress.getLoopbackAddress();

        ObjectMapper mapper = new ObjectMapper();
        App.say("JACKSON", mapper.version() + " " + jarOf(ObjectMapper.class) + " "
                + jarOf(com.fasterxml.jackson.core.JsonFactory.class));

        Class<?> made = new ByteBuddy(ClassFileVersion.JAVA_V8)
                .subclass(Object.class)
                .name("io.tlsagent.compat.apps.MadeByByteBuddy")
                .method(named("toString")).intercept(FixedValue.value("made-by-byte-buddy"))
                .make()
                .load(CoexistenceApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        App.say("BYTEBUDDY", made.getDeclaredConstructor().newInstance() + " " + jarOf(ByteBuddy.class));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        Counter served = Counter.builder("app.requests").tag("app", "coexistence").register(registry);
        HttpServer scrape = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        scrape.createContext("/metrics", ex -> respond(ex, registry.scrape(), "text/plain; version=0.0.4"));
        scrape.start();
        App.say("MICROMETER", jarOf(PrometheusMeterRegistry.class));
        App.say("APP-METRICS-PORT", scrape.getAddress().getPort());

        HttpsServer https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(AppTls.serverContext(dir)));
        https.createContext("/", ex -> {
            served.increment();
            Map<String, String> body = new LinkedHashMap<>();
            body.put("server", App.serverView("jdk-httpsserver", ex.getProtocol(),
                    ((HttpsExchange) ex).getSSLSession()));
            String traceparent = ex.getRequestHeaders().getFirst("traceparent");
            body.put("traceparent", traceparent == null ? "-" : traceparent);
            respond(ex, mapper.writeValueAsString(body), "application/json");
        });
        https.start();
        int port = https.getAddress().getPort();
        App.say("PORT", port);

        LastSocket client = new LastSocket(AppTls.clientContext(dir).getSocketFactory());
        for (int i = 0; i < 2; i++) {
            HttpsURLConnection c = (HttpsURLConnection) new URL("https://localhost:" + port + "/hello/" + i)
                    .openConnection();
            c.setSSLSocketFactory(client);
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("status " + c.getResponseCode());
            }
            SSLSession session = client.session(); // while connected
            JsonNode body;
            try (InputStream in = c.getInputStream()) {
                body = mapper.readTree(in);
            }
            App.client("urlconnection", session.getProtocol(), session.getCipherSuite(), "HTTP/1.1",
                    body.get("server").asText());
            App.say("TRACEPARENT", body.get("traceparent").asText());
            c.disconnect();
        }
        App.readyAndHold();
    }

    private static void respond(HttpExchange ex, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The file name of the jar a class came from: shows whose copy the application got. */
    private static String jarOf(Class<?> c) {
        String location = c.getProtectionDomain().getCodeSource().getLocation().getPath();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
