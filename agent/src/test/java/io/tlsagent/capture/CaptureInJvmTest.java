package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.export.jfr.JfrExporter;
import io.tlsagent.instrumentation.BootstrapInjector;
import io.tlsagent.instrumentation.TlsInstrumentation;
import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import io.tlsagent.util.AgentErrors;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real hooks and captures in this JVM, fed by real SunJSSE engines handshaking in memory: exactly one record
 * per handshake and side, successes and failures. Fast (no forked JVM); the forked-JVM integration tests with the
 * built jar stay the proof. Runs in a JVM of its own (see the agent's pom): the bridge must be defined in the boot
 * class loader before anything loads it.
 */
class CaptureInJvmTest {

    private static final List<HandshakeRecord> RECORDS = new ArrayList<>();
    private static final AgentErrors ERRORS = new AgentErrors();
    private static final AnatomyAssembler ANATOMY = new AnatomyAssembler(new AnatomyAssembler.Options(true, true, 14));
    /** The JFR event is committed on the handshake's thread, before the anatomy: JA3/JA4 from the raw hello. */
    private static final JfrExporter JFR = new JfrExporter(ANATOMY::clientOffer);
    private static Instrumentation inst;
    private static TlsInstrumentation hooks;
    private static TestPki pki;

    @BeforeAll
    static void installHooks() throws Exception {
        inst = ByteBuddyAgent.install();
        // Before any class that names the bridge is loaded (InJvmHooks does; this class must not).
        BootstrapInjector.inject(inst);
        hooks = InJvmHooks.install(inst, r -> {
            synchronized (RECORDS) {
                RECORDS.add(r);
            }
        }, JFR, ERRORS);
        pki = TestPki.create();
    }

    @AfterAll
    static void removeHooks() {
        InJvmHooks.remove(hooks, ERRORS);
        JFR.close();
    }

    @BeforeEach
    void clear() {
        synchronized (RECORDS) {
            RECORDS.clear();
        }
    }

    /** The records as the export thread completes them. */
    private static List<HandshakeRecord> records() {
        List<HandshakeRecord> completed = new ArrayList<>();
        for (HandshakeRecord r : raw()) {
            completed.add(ANATOMY.complete(r));
        }
        return completed;
    }

    /** The records as the handshake's thread handed them over. */
    private static List<HandshakeRecord> raw() {
        synchronized (RECORDS) {
            return List.copyOf(RECORDS);
        }
    }

    private static HandshakeRecord only(Role role) {
        return only(records(), role);
    }

    private static HandshakeRecord only(List<HandshakeRecord> records, Role role) {
        List<HandshakeRecord> ofRole = new ArrayList<>();
        for (HandshakeRecord r : records) {
            if (r.role() == role) {
                ofRole.add(r);
            }
        }
        assertThat(ofRole).as("records of the %s", role).hasSize(1);
        return ofRole.get(0);
    }

    private static SSLEngine engine(SSLContext ctx, boolean client, String... protocols) {
        SSLEngine e = client ? ctx.createSSLEngine("localhost", 443) : ctx.createSSLEngine();
        e.setUseClientMode(client);
        if (protocols.length > 0) {
            e.setEnabledProtocols(protocols);
        }
        return e;
    }

    @Test
    void aFullAndAResumedTls13HandshakeAreOneRecordPerSideEach() throws Exception {
        SSLContext client = pki.clientContext();
        SSLContext server = pki.serverContext();
        new EnginePair(engine(client, true), engine(server, false)).handshake();

        assertThat(records()).hasSize(2);
        for (Role role : Role.values()) {
            HandshakeRecord r = only(role);
            assertThat(r.success()).isTrue();
            assertThat(r.protocol()).isEqualTo("TLSv1.3");
            assertThat(r.api()).isEqualTo(Api.SSL_ENGINE);
            assertThat(r.provider()).isEqualTo("SunJSSE");
            assertThat(r.resumption()).isEqualTo(Resumption.NONE);
            assertThat(r.durationNanos()).isPositive();
            assertThat(r.namedGroup()).isNotNull();
            assertThat(r.anatomy().clientHello()).isNotNull();
            assertThat(r.anatomy().ja4()).startsWith("t13");
            assertThat(r.messages()).isNotEmpty();
        }
        assertThat(only(Role.CLIENT).peerCertificate().subject()).contains("CN=localhost");
        assertThat(only(Role.CLIENT).anatomy().ja3Md5()).isEqualTo(only(Role.SERVER).anatomy().ja3Md5());

        clear();
        new EnginePair(engine(client, true), engine(server, false)).handshake();
        assertThat(records()).hasSize(2);
        for (Role role : Role.values()) {
            assertThat(only(role).resumption()).as("%s", role).isEqualTo(Resumption.PSK);
        }
        assertThat(ERRORS.count()).isZero();
    }

    @Test
    void theHandshakeThreadOnlyCapturesAndTheHellosAreTheBytesOnTheWire() throws Exception {
        new EnginePair(engine(pki.clientContext(), true), engine(pki.serverContext(), false)).handshake();

        List<HandshakeRecord> raw = raw();
        assertThat(raw).hasSize(2);
        for (HandshakeRecord r : raw) {
            // Nothing parsed, summarized or fingerprinted on the handshake's thread: only the raw capture.
            assertThat(r.anatomy()).isNull();
            assertThat(r.peerCertificate()).isNull();
            assertThat(r.capture()).isNotNull();
            assertThat(r.capture().messagesSeen()).isTrue();
        }
        HandshakeRecord client = only(raw, Role.CLIENT);
        HandshakeRecord server = only(raw, Role.SERVER);
        // What a side sent, taken from SunJSSE's own output buffer, is byte for byte what the other side received.
        assertThat(client.capture().clientHello()).isNotNull().isEqualTo(server.capture().clientHello());
        assertThat(server.capture().serverHello()).isNotNull().isEqualTo(client.capture().serverHello());
        assertThat(client.capture().sessionPeerCertificates()).isNotEmpty();
        assertThat(server.capture().localCertificates()).isEqualTo(client.capture().sessionPeerCertificates());
        assertThat(client.capture().peerCertificateMessage()).isNotNull();
        assertThat(ERRORS.count()).isZero();
    }

    @Test
    void aTls12HandshakeIsOneRecordPerSide() throws Exception {
        new EnginePair(engine(pki.clientContext(), true, "TLSv1.2"), engine(pki.serverContext(), false)).handshake();

        assertThat(records()).hasSize(2);
        for (Role role : Role.values()) {
            assertThat(only(role).protocol()).isEqualTo("TLSv1.2");
            assertThat(only(role).cipherSuite()).startsWith("TLS_ECDHE_");
        }
        assertThat(ERRORS.count()).isZero();
    }

    @Test
    void aVersionMismatchFailsOncePerSide() throws Exception {
        new EnginePair(engine(pki.clientContext(), true, "TLSv1.2"), engine(pki.serverContext(), false, "TLSv1.3")).run();

        assertThat(records()).hasSize(2);
        assertThat(only(Role.SERVER).error()).isEqualTo(ErrorType.PROTOCOL_VERSION);
        assertThat(only(Role.SERVER).alertReceived()).isFalse();
        assertThat(only(Role.CLIENT).error()).isEqualTo(ErrorType.PROTOCOL_VERSION);
        assertThat(only(Role.CLIENT).alertReceived()).isTrue();
    }

    @Test
    void anUntrustedServerFailsOncePerSide() throws Exception {
        SSLContext trustsTheJdksRoots = SSLContext.getInstance("TLS");
        trustsTheJdksRoots.init(null, null, null);

        new EnginePair(engine(trustsTheJdksRoots, true), engine(pki.serverContext(), false)).run();

        assertThat(records()).hasSize(2);
        assertThat(only(Role.CLIENT).error()).as(only(Role.CLIENT).errorMessage()).isEqualTo(ErrorType.CERTIFICATE_UNTRUSTED);
        assertThat(only(Role.CLIENT).anatomy().trustCheckFailed()).isTrue();
        assertThat(only(Role.CLIENT).anatomy().peerChain()).isNotEmpty();
        assertThat(only(Role.SERVER).success()).isFalse();
    }

    /**
     * The JDK's own HttpsServer and HttpClient, configured as their users do (neither gives its engine the other
     * end's address): both records name the real connection, and agree on it.
     */
    @Test
    void theJdksHttpsServerAndHttpClientNameTheirConnection() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        int[] clientPort = new int[1];
        server.createContext("/", exchange -> {
            clientPort[0] = exchange.getRemoteAddress().getPort();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext()).build();
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/")).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
        } finally {
            server.stop(0);
        }
        int port = server.getAddress().getPort();
        HandshakeRecord s = only(Role.SERVER);
        assertThat(s.peerAddress()).isEqualTo("127.0.0.1");
        assertThat(s.peerPort()).isEqualTo(clientPort[0]);
        assertThat(s.localAddress()).isEqualTo("127.0.0.1");
        assertThat(s.localPort()).isEqualTo(port);
        assertThat(s.peerDomain()).as("the JDK's reverse lookup is not a name the application gave").isNull();
        HandshakeRecord c = only(Role.CLIENT);
        assertThat(c.peerAddress()).isEqualTo("127.0.0.1");
        assertThat(c.peerPort()).isEqualTo(port);
        assertThat(c.localPort()).isEqualTo(clientPort[0]);
        assertThat(c.peerDomain()).isEqualTo("localhost");
        assertThat(ERRORS.count()).isZero();
    }

    /**
     * The JFR event of each handshake starts and ends with it, on the thread that ended it, and a recording's
     * threshold keeps only the slow ones (a server that takes a second to choose its key) and drops the fast ones.
     */
    @Test
    void theJfrEventHasTheHandshakesDurationAndHonoursAThreshold() throws Exception {
        long thresholdNanos = 500_000_000L;
        SSLContext slowServer = pki.slowServerContext(1000);
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("tlsagent.Handshake").withThreshold(Duration.ofNanos(thresholdNanos));
            recording.start();
            for (int i = 0; i < 3; i++) {
                new EnginePair(engine(pki.clientContext(), true), engine(pki.serverContext(), false)).handshake();
            }
            new EnginePair(engine(pki.clientContext(), true), engine(slowServer, false)).handshake();
            recording.stop();
            Path file = Files.createTempFile("capture", ".jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("tlsagent.Handshake"))
                    .collect(Collectors.toList());
            Files.delete(file);
        }
        List<HandshakeRecord> all = records();
        assertThat(all).hasSize(8);
        long margin = 5_000_000L; // what is this close to the threshold is not judged
        List<HandshakeRecord> slow = all.stream().filter(r -> r.durationNanos() > thresholdNanos + margin)
                .collect(Collectors.toList());
        long fast = all.stream().filter(r -> r.durationNanos() < thresholdNanos - margin).count();
        assertThat(slow).as("the slow server: both sides wait a second for it").hasSizeGreaterThanOrEqualTo(2);
        assertThat(fast).as("fast handshakes to drop").isPositive();
        assertThat(events).as("one event per slow handshake, none for the fast ones").hasSize(
                (int) all.stream().filter(r -> r.durationNanos() >= thresholdNanos).count());
        for (HandshakeRecord r : slow) {
            RecordedEvent e = events.stream().filter(ev -> ev.getString("role").equals(r.role().label())
                    && Math.abs(ev.getDuration().toNanos() - r.durationNanos()) < 1_000_000L).findFirst()
                    .orElseThrow(() -> new AssertionError("no event of the duration of " + r.role() + " "
                            + r.durationNanos() + " ns in " + events));
            Instant start = r.timestamp().minusNanos(r.durationNanos());
            assertThat(Duration.between(start, e.getStartTime()).abs()).isLessThan(Duration.ofMillis(2));
            assertThat(e.getThread().getJavaName()).isEqualTo(r.threadName());
            // Committed before the export thread made the anatomy: the same fingerprints, from the raw hello.
            assertThat(e.getString("ja3")).isNotNull().isEqualTo(r.anatomy().ja3Md5());
            assertThat(e.getString("ja4")).isNotNull().isEqualTo(r.anatomy().ja4());
        }
    }
}
