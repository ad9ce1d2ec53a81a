package io.tlsagent.export.prometheus;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlsagent.config.AgentConfig;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Serves {@code /metrics} in the Prometheus text format (or OpenMetrics when asked) from daemon threads. */
public final class MetricsEndpoint implements AutoCloseable {

    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private final AgentErrors errors;
    private final boolean injectFailure;
    /** Brings the registry up to date before it is rendered (this JVM's certificates loaded since the last scrape). */
    private final Runnable beforeScrape;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor,
            AgentErrors errors, Runnable beforeScrape) {
        this.errors = errors;
        this.beforeScrape = beforeScrape;
        this.injectFailure = "endpoint".equals(System.getProperty("io.tlsagent.test.inject"));
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving, or says once why it cannot and returns null: the rest of the agent works on. With a keystore
     * it speaks HTTPS only; with a user, it asks for HTTP basic authentication. It never falls back to less.
     */
    public static MetricsEndpoint start(AgentConfig config, PrometheusMeterRegistry registry, AgentErrors errors,
            Runnable beforeScrape) {
        String host = config.host();
        int port = config.port();
        try {
            InetSocketAddress address = new InetSocketAddress(host, port);
            HttpServer server;
            if (config.tlsKeystore() != null) {
                HttpsServer https = HttpsServer.create(address, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(sslContext(config)));
                server = https;
            } else {
                server = HttpServer.create(address, 16);
            }
            ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(MAX_WAITING), r -> daemon(r, "tls-agent-http"),
                    new ThreadPoolExecutor.AbortPolicy());
            MetricsEndpoint endpoint = new MetricsEndpoint(registry, server, executor, errors, beforeScrape);
            HttpContext context = server.createContext("/metrics", endpoint::handle);
            if (config.authUser() != null) {
                context.setAuthenticator(new Credentials(config.authUser(), config.authPassword()));
            }
            server.setExecutor(executor);
            // The server's dispatcher thread inherits daemon status from the thread that starts it.
            Thread starter = daemon(server::start, "tls-agent-http-start");
            starter.start();
            starter.join();
            return endpoint;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            AgentLog.info("cannot serve /metrics on " + host + ":" + port + " (" + e.getMessage()
                    + "); metrics endpoint off, the JSON log keeps working");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static SSLContext sslContext(AgentConfig config) throws IOException, GeneralSecurityException {
        char[] password = config.tlsKeystorePassword().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(config.tlsKeystore())) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Basic authentication, comparing in constant time. */
    private static final class Credentials extends BasicAuthenticator {
        private final byte[] user;
        private final byte[] password;

        Credentials(String user, String password) {
            super("tls-agent");
            this.user = user.getBytes(StandardCharsets.UTF_8);
            this.password = password.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean checkCredentials(String givenUser, String givenPassword) {
            boolean userOk = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
            boolean passwordOk = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
            return userOk & passwordOk;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Whatever goes wrong while answering (even an Error that would end the thread) is counted, said once, and
     * answered with a 500; the endpoint's thread lives on for the next scrape.
     */
    private void handle(HttpExchange exchange) {
        try {
            awaitTurn();
            respond(exchange);
        } catch (Throwable t) {
            errors.record("metrics endpoint", t);
            try {
                exchange.sendResponseHeaders(500, -1);
            } catch (IOException | RuntimeException alreadyAnswered) {
                // the client gets what was sent so far
            }
        } finally {
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        if (injectFailure && injected.compareAndSet(false, true)) {
            // Test hook (io.tlsagent.test.inject=endpoint): what would end a thread, once.
            throw new OutOfMemoryError("failure injected by io.tlsagent.test.inject=endpoint");
        }
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
        byte[] body = body(contentType);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private final AtomicBoolean injected = new AtomicBoolean();

    /**
     * A flood of scrapes costs the application no more than {@link #MAX_SCRAPES_PER_SECOND} scrapes would: requests
     * beyond that wait their turn on the endpoint's one thread (its own, never the application's), so a client that
     * scrapes in a loop gets slower answers instead of more CPU. Requests are answered one at a time; at most
     * {@link #MAX_WAITING} wait, and the server closes the connection of any beyond that.
     */
    static final int MAX_SCRAPES_PER_SECOND = 20;
    static final int MAX_WAITING = 256;
    private static final long TURN_NANOS = 1_000_000_000L / MAX_SCRAPES_PER_SECOND;
    private long nextTurn = System.nanoTime(); // only the endpoint's single thread reads and writes it

    private void awaitTurn() {
        long now = System.nanoTime();
        while (nextTurn - now > 0) {
            LockSupport.parkNanos(nextTurn - now);
            now = System.nanoTime();
        }
        nextTurn = now + TURN_NANOS;
    }

    /**
     * The scrape, rendered at most once a second per format: however many clients scrape at once, the agent spends
     * no more CPU on it than one scraper would, and the application's threads keep theirs.
     */
    private byte[] body(String contentType) {
        Rendered last = rendered;
        long now = System.nanoTime();
        if (last != null && last.contentType.equals(contentType) && now - last.nanoTime < MAX_AGE_NANOS) {
            return last.body;
        }
        beforeScrape.run();
        byte[] body = registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
        rendered = new Rendered(contentType, now, body);
        return body;
    }

    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private volatile Rendered rendered;

    private static final class Rendered {
        final String contentType;
        final long nanoTime;
        final byte[] body;

        Rendered(String contentType, long nanoTime, byte[] body) {
            this.contentType = contentType;
            this.nanoTime = nanoTime;
            this.body = body;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
