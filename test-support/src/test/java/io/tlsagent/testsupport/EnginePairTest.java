package io.tlsagent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnginePairTest {

    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create();
    }

    @Test
    void aTls13HandshakeDeliversTheTicketSoTheNextOneResumes() throws Exception {
        SSLContext client = pki.clientContext();
        SSLContext server = pki.serverContext();
        EnginePair full = EnginePair.of(client, "localhost", 4433, server).protocols("TLSv1.3").handshake();
        EnginePair resumed = EnginePair.of(client, "localhost", 4433, server).protocols("TLSv1.3").handshake();
        assertThat(full.client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(full.client.getHandshakeStatus()).isEqualTo(HandshakeStatus.NOT_HANDSHAKING);
        assertThat(full.serverBytes() - resumed.serverBytes()).as("no certificate when resumed")
                .isGreaterThan(pki.server.getEncoded().length);
        assertThat(resumed.send(resumed.client, "hello server")).isEqualTo("hello server");
        assertThat(resumed.send(resumed.server, "hello client")).isEqualTo("hello client");
    }

    @Test
    void recordsTheHandshakeMessagesSentInClear() throws Exception {
        EnginePair p = EnginePair.of(pki.clientContext(), pki.serverContext()).protocols("TLSv1.2")
                .recordingSentBytes().handshake();
        List<byte[]> client = p.clientMessages();
        List<byte[]> server = p.serverMessages();
        assertThat(client.get(0)[0]).as("ClientHello").isEqualTo((byte) 1);
        assertThat(server).extracting(m -> (int) m[0]).startsWith(2, 11, 12, 14);
        assertThat(EnginePair.body(server, 11).remaining()).isGreaterThan(pki.server.getEncoded().length);
        assertThatThrownBy(() -> EnginePair.body(server, 99)).hasMessageContaining("type 99");
        assertThatThrownBy(() -> EnginePair.of(pki.clientContext(), pki.serverContext()).handshake().clientMessages())
                .isInstanceOf(IllegalStateException.class);

        SSLEngine fresh = pki.clientContext().createSSLEngine();
        fresh.setUseClientMode(true);
        byte[] flight = EnginePair.firstClientFlight(fresh);
        assertThat(EnginePair.clearHandshakeMessages(flight)).singleElement().satisfies(m -> assertThat(m[0])
                .isEqualTo((byte) 1));

        SSLEngine another = pki.clientContext().createSSLEngine();
        another.setUseClientMode(true);
        byte[] hello = EnginePair.clientHelloBody(another);
        assertThat(hello).as("the body: legacy_version first, no header").startsWith((byte) 3, (byte) 3);
        assertThat(hello.length).isGreaterThan(2 + 32 + 1);
    }

    @Test
    void aFailureIsEachSidesAndTheAlertReachesThePeer() throws Exception {
        EnginePair untrusted = EnginePair.of(pki.clientContext(), pki.untrustedServerContext()).run();
        assertThat(untrusted.clientFailure()).isSameAs(untrusted.firstFailure()).hasMessageContaining("PKIX");
        assertThat(untrusted.serverFailure()).hasMessageContaining("certificate");
        assertThatThrownBy(() -> EnginePair.of(pki.clientContext(), pki.untrustedServerContext()).handshake())
                .isInstanceOf(SSLException.class);

        EnginePair mismatch = EnginePair.of(pki.clientContext(), pki.serverContext());
        mismatch.client.setEnabledProtocols(new String[] {"TLSv1.2"});
        mismatch.server.setEnabledProtocols(new String[] {"TLSv1.3"});
        mismatch.run();
        assertThat(mismatch.serverFailure()).isSameAs(mismatch.firstFailure());
        assertThat(mismatch.clientFailure()).hasMessageContaining("protocol_version");
    }

    @Test
    void handshakesDrivenByHand() throws Exception {
        EnginePair abandoned = EnginePair.of(pki.clientContext(), pki.serverContext());
        abandoned.abandonAfterClientHello();
        assertThat(abandoned.server.getHandshakeStatus()).as("its task never ran").isEqualTo(HandshakeStatus.NEED_TASK);

        EnginePair p = EnginePair.of(pki.clientContext(), pki.serverContext());
        assertThat(p.flight(p.client)).isPositive();
        assertThat(p.server.getHandshakeStatus()).isEqualTo(HandshakeStatus.NEED_WRAP);
        assertThat(p.flight(p.server)).isEqualTo((int) p.serverBytes());
        assertThatThrownBy(() -> p.flight(pki.clientContext().createSSLEngine()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordPumpMovesOneFullRecord() throws Exception {
        EnginePair p = EnginePair.of(pki.clientContext(), pki.serverContext()).protocols("TLSv1.3").handshake();
        RecordPump pump = new RecordPump(p);
        assertThat(pump.recordSize()).isBetween(16_000, RecordPump.OFFERED);
        assertThat(pump.one()).isEqualTo(pump.recordSize());
        assertThat(pump.one()).isEqualTo(pump.recordSize());
    }

    @Test
    void recordPumpSplitsTheRecordOverDirectSourceBuffers() throws Exception {
        EnginePair p = EnginePair.of(pki.clientContext(), pki.serverContext()).protocols("TLSv1.3").handshake();
        RecordPump pump = new RecordPump(p, true, 12);
        List<Integer> parts = new ArrayList<>();
        // SunJSSE has no unwrap(ByteBuffer[], ByteBuffer[]): this one joins the parts for its unwrap(src, dsts).
        RecordPump.MultiBufferUnwrap joined = (srcs, dsts) -> {
            ByteBuffer record = ByteBuffer.allocate(p.client.getSession().getPacketBufferSize());
            for (ByteBuffer part : srcs) {
                assertThat(part.isDirect()).isTrue();
                parts.add(part.remaining());
                record.put(part);
            }
            record.flip();
            return p.server.unwrap(record, dsts);
        };
        assertThat(pump.oneSplit(joined)).isEqualTo(pump.recordSize());
        assertThat(pump.one()).isEqualTo(pump.recordSize());
        assertThat(parts).hasSize(12);
        assertThat(parts.stream().mapToInt(Integer::intValue).max().getAsInt()
                - parts.stream().mapToInt(Integer::intValue).min().getAsInt()).as("equal parts").isLessThanOrEqualTo(1);
        assertThat(parts.stream().mapToInt(Integer::intValue).sum()).as("the whole record, header and tag")
                .isGreaterThan(pump.recordSize() + 5);
    }
}
