package io.tlsagent.compat.apps;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * A traced application that makes outgoing HTTPS calls, as users write it: each call inside a span of its own
 * (made current), half of them with {@code HttpsURLConnection}, half with the JDK {@code HttpClient}, each on a new
 * connection (a full handshake), against its own JDK {@code HttpsServer}. Its tracer is the OpenTelemetry agent's
 * ({@code GlobalOpenTelemetry}) or, with {@code own-sdk}, the application's own SDK without any agent.
 * <p>Commands on stdin, one a line: {@code round N F} makes N calls, the last F of them to a client that does not
 * trust the server (a failing handshake); {@code exit}. Prints {@code CALL kind i traceId spanId ok|error} per call
 * and {@code ROUND n} after each round.
 * <pre>OtelApp DIR [own-sdk]</pre>
 */
public final class OtelApp {

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        boolean ownSdk = args.length > 1 && args[1].equals("own-sdk");
        System.setProperty("http.keepAlive", "false"); // one connection, one handshake per call
        // An SDK without a span processor makes no spans: this one records them and sends them nowhere.
        Tracer tracer = ownSdk ? SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build().get("otel-app")
                : GlobalOpenTelemetry.getTracer("otel-app");

        InetAddress loopback = InetAddress.getLoopbackAddress();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(AppTls.serverContext(dir)));
        https.createContext("/", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        int port = https.getAddress().getPort();
        App.say("PORT", port);
        System.out.println("READY");
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        int rounds = 0;
        while ((line = in.readLine()) != null && !line.equals("exit")) {
            String[] cmd = line.trim().split(" ");
            if (!cmd[0].equals("round")) {
                continue;
            }
            int calls = Integer.parseInt(cmd[1]);
            int failing = Integer.parseInt(cmd[2]);
            rounds++;
            for (int i = 0; i < calls; i++) {
                boolean fail = i >= calls - failing;
                String kind = i % 2 == 0 ? "urlconnection" : "httpclient";
                SSLContext client = fail ? SSLContext.getDefault() : AppTls.clientContext(dir);
                Span span = tracer.spanBuilder("call " + rounds + "." + i).startSpan();
                String outcome;
                try (Scope ignored = span.makeCurrent()) {
                    outcome = call(kind, client, "https://localhost:" + port + "/call/" + rounds + "/" + i);
                } finally {
                    span.end();
                }
                SpanContext sc = span.getSpanContext();
                System.out.println("CALL " + kind + " " + rounds + "." + i + " " + sc.getTraceId() + " "
                        + sc.getSpanId() + " " + outcome);
            }
            System.out.println("ROUND " + rounds);
            System.out.flush();
        }
        System.exit(0); // the agents' shutdown hooks run
    }

    private static String call(String kind, SSLContext client, String url) {
        try {
            if (kind.equals("urlconnection")) {
                HttpsURLConnection c = (HttpsURLConnection) new URL(url).openConnection();
                c.setSSLSocketFactory(client.getSocketFactory());
                c.setConnectTimeout(10_000);
                c.setReadTimeout(10_000);
                try (InputStream body = c.getInputStream()) {
                    body.readAllBytes();
                }
                c.disconnect();
            } else {
                HttpClient http = HttpClient.newBuilder().sslContext(client).version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            return "ok";
        } catch (Exception e) {
            return "error";
        }
    }
}
