package io.tlsagent.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeRecordTest {

    /** The export thread completes records with {@code toBuilder()}: a field it forgot would vanish from every line. */
    @Test
    void toBuilderKeepsEveryField() throws Exception {
        HandshakeRecord r = HandshakeRecord.builder().timestamp(Instant.ofEpochSecond(7)).role(Role.CLIENT)
                .api(Api.SSL_SOCKET).provider("p").protocol("TLSv1.3").cipherSuite("c").resumed(Boolean.TRUE)
                .resumption(Resumption.PSK).durationNanos(5).peerAddress("a").peerPort(1).localAddress("b")
                .localPort(2).peerDomain("d").serverName("s").applicationProtocol("h2").namedGroup("x25519")
                .peerCertificate(CertificateInfo.builder().subject("CN=x").build()).error(ErrorType.OTHER)
                .alert("al").alertReceived(true).errorMessage("m").threadName("t")
                .messages(List.of(new HandshakeMessage("client_hello", true, 0)))
                .anatomy(HandshakeAnatomy.builder().build()).capture(HandshakeCapture.builder().build())
                .trace(new TraceContext("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true)).build();
        HandshakeRecord copy = r.toBuilder().build();
        for (Field f : HandshakeRecord.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            Object value = f.get(r);
            assertThat(value).as("%s is set in this test", f.getName())
                    .isNotIn(null, -1, 0, false, List.of());
            assertThat(f.get(copy)).as(f.getName()).isEqualTo(value);
        }
    }
}
