package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.anatomy.EnginePair;
import io.tlsagent.anatomy.TestCerts;
import io.tlsagent.instrumentation.BootstrapInjector;
import io.tlsagent.record.Api;
import io.tlsagent.record.ErrorType;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Resumption;
import io.tlsagent.record.Role;
import io.tlsagent.util.AgentErrors;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
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
    private static Instrumentation inst;
    private static ResettableClassFileTransformer transformer;
    private static TestCerts.Pki pki;

    @BeforeAll
    static void installHooks() throws Exception {
        inst = ByteBuddyAgent.install();
        // Before any class that names the bridge is loaded (InJvmHooks does; this class must not).
        BootstrapInjector.inject(inst);
        transformer = InJvmHooks.install(inst, r -> {
            synchronized (RECORDS) {
                RECORDS.add(r);
            }
        }, ERRORS);
        pki = new TestCerts.Pki();
    }

    @AfterAll
    static void removeHooks() {
        InJvmHooks.remove(inst, transformer);
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
        EnginePair.failingHandshake(engine(pki.clientContext(), true, "TLSv1.2"),
                engine(pki.serverContext(), false, "TLSv1.3"));

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

        EnginePair.failingHandshake(engine(trustsTheJdksRoots, true), engine(pki.serverContext(), false));

        assertThat(records()).hasSize(2);
        assertThat(only(Role.CLIENT).error()).as(only(Role.CLIENT).errorMessage()).isEqualTo(ErrorType.CERTIFICATE_UNTRUSTED);
        assertThat(only(Role.CLIENT).anatomy().trustCheckFailed()).isTrue();
        assertThat(only(Role.CLIENT).anatomy().peerChain()).isNotEmpty();
        assertThat(only(Role.SERVER).success()).isFalse();
    }
}
