package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.HandshakeSpans;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The public-API capture fed as the engine advice feeds it (results and the buffers of the calls), with the
 * bytes of a real connection: BoringSSL (Netty's server) consumed a JDK client's SSLv2-format ClientHello, then
 * failed. The record says why its wire was not read, and the counter behind {@code tls_agent_wire_unread_total}
 * counts it once.
 */
class PublicApiWireTest {

    @Test
    void anSslV2HelloIsSaidInTheRecordAndCountedOnce() throws Exception {
        List<HandshakeRecord> records = new ArrayList<>();
        AgentErrors errors = new AgentErrors();
        PublicApiCapture capture = new PublicApiCapture(new HandshakeOutput(records::add, HandshakeSpans.NONE, errors),
                errors, created -> { }, new ConnectionBindings());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(); // stands for the server engine: never used itself
        engine.setUseClientMode(false);

        byte[] hello = WireHandshakeTest.load("v2-netty").get(0).bytes;
        ByteBuffer src = ByteBuffer.wrap(hello);
        src.position(hello.length); // the engine consumed it
        SSLEngineResult consumed = new SSLEngineResult(SSLEngineResult.Status.OK,
                SSLEngineResult.HandshakeStatus.NEED_WRAP, hello.length, 0);
        capture.engineResult(engine, consumed, false, src, 1);
        capture.engineResult(engine, consumed, false, src, 2); // a delegating overload: the same result again
        capture.engineFailed(engine, new SSLHandshakeException("WRONG_CURVE"), 3);
        capture.engineFailed(engine, new SSLHandshakeException("again"), 4);

        assertThat(records).hasSize(1);
        HandshakeRecord r = records.get(0);
        assertThat(r.error()).isNotNull();
        assertThat(r.capture().wireNotes()).containsExactly("sslv2_hello: inbound an SSLv2-format ClientHello, not read");
        assertThat(capture.wireUnread()).isEqualTo(1);
        assertThat(errors.count()).isZero();
    }
}
