package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.lang.instrument.Instrumentation;
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
        }, ERRORS);
        pki = TestPki.create();
    }

    @AfterAll
    static void removeHooks() {
        InJvmHooks.remove(hooks, ERRORS);
    }

    @BeforeEach
    void clear() {
        synchronized (RECORDS) {
            RECORDS.clear();
        }
    }

    private static List<HandshakeRecord> records() {
        synchronized (RECORDS) {
            return List.copyOf(RECORDS);
        }
    }

    private static HandshakeRecord only(Role role) {
        List<HandshakeRecord> ofRole = new ArrayList<>();
        for (HandshakeRecord r : records()) {
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

}
