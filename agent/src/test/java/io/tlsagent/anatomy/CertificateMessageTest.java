package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class CertificateMessageTest {

    private static List<byte[]> encoded(List<X509Certificate> certs) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            out.add(c.getEncoded());
        }
        return out;
    }

    @Test
    void tls12CertificateMessageFromTheJdk() throws Exception {
        TestPki pki = TestPki.create();
        SSLEngine c = pki.clientContext().createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        SSLEngine s = pki.serverContext().createSSLEngine();
        s.setUseClientMode(false);
        EnginePair p = new EnginePair(c, s).recordingSentBytes().handshake();

        ByteBuffer body = EnginePair.body(p.serverMessages(), 11);
        int position = body.position();
        CertificateMessage<X509Certificate> message = CertificateMessage.parse(body, false);

        assertThat(body.position()).isEqualTo(position);
        assertThat(message.parseError()).isNull();
        assertThat(message.truncated()).isFalse();
        assertThat(message.certificates()).hasSize(2);
        assertThat(encoded(message.certificates())).containsExactly(pki.server.getEncoded(), pki.ca.getEncoded());
        assertThat(message.certificates().get(0))
                .isEqualTo(p.client.getSession().getPeerCertificates()[0]);
    }

    /** TLS 1.3 sends Certificate encrypted, so the message is built by hand from real certificates. */
    @Test
    void tls13CertificateMessageBuiltFromRealCertificates() throws Exception {
        TestPki pki = TestPki.create();
        TlsBytes entries = new TlsBytes()
                // An entry with an extension (status_request carrying an OCSP response stand-in): skipped.
                .vec24(new TlsBytes().bytes(pki.server.getEncoded()))
                .vec16(new TlsBytes().extension(5, new TlsBytes().u8(1).vec24(new TlsBytes().zeros(40))))
                .vec24(new TlsBytes().bytes(pki.ca.getEncoded()))
                .vec16(new TlsBytes());
        TlsBytes body = new TlsBytes().vec8(new TlsBytes()).vec24(entries);

        CertificateMessage<X509Certificate> message = CertificateMessage.parse(body.buffer(), true);

        assertThat(message.parseError()).isNull();
        assertThat(encoded(message.certificates())).containsExactly(pki.server.getEncoded(), pki.ca.getEncoded());

        // The same bytes read with the TLS 1.2 layout do not make sense, and say so.
        CertificateMessage<X509Certificate> wrong = CertificateMessage.parse(body.buffer(), false);
        assertThat(wrong.parseError()).isNotNull();
        assertThat(wrong.certificates()).isEmpty();
    }

    @Test
    void clientCertificateRequestContextIsSkipped() throws Exception {
        TestPki pki = TestPki.create();
        TlsBytes body = new TlsBytes().vec8(new TlsBytes().zeros(8))
                .vec24(new TlsBytes().vec24(new TlsBytes().bytes(pki.server.getEncoded())).vec16(new TlsBytes()));
        CertificateMessage<X509Certificate> message = CertificateMessage.parse(body.buffer(), true);
        assertThat(message.parseError()).isNull();
        assertThat(message.certificates()).hasSize(1);
    }

    @Test
    void emptyCertificateListIsValid() {
        CertificateMessage<X509Certificate> message = CertificateMessage.parse(new TlsBytes().u24(0).buffer(), false);
        assertThat(message.parseError()).isNull();
        assertThat(message.certificates()).isEmpty();
    }

    @Test
    void moreThanSixteenCertificatesStopAtSixteen() throws Exception {
        byte[] der = TestPki.create().server.getEncoded();
        TlsBytes list = new TlsBytes();
        for (int i = 0; i < 20; i++) {
            list.vec24(new TlsBytes().bytes(der));
        }
        CertificateMessage<X509Certificate> message = CertificateMessage.parse(new TlsBytes().vec24(list).buffer(), false);

        assertThat(message.truncated()).isTrue();
        assertThat(message.parseError()).isNull();
        assertThat(message.certificates()).hasSize(Limits.MAX_CERTIFICATES);
    }

    @Test
    void certificateOver64KibStopsParsing() throws Exception {
        byte[] der = TestPki.create().server.getEncoded();
        TlsBytes list = new TlsBytes().vec24(new TlsBytes().bytes(der))
                .vec24(new TlsBytes().zeros(Limits.MAX_CERTIFICATE_BYTES + 1))
                .vec24(new TlsBytes().bytes(der));
        CertificateMessage<X509Certificate> message = CertificateMessage.parse(new TlsBytes().vec24(list).buffer(), false);

        assertThat(message.truncated()).isTrue();
        assertThat(message.certificates()).hasSize(1);
    }

    @Test
    void garbageAndLiesAreReportedNeverThrown() throws Exception {
        byte[] der = TestPki.create().server.getEncoded();
        CertificateMessage<X509Certificate> garbage = CertificateMessage.parse(new TlsBytes()
                .vec24(new TlsBytes().vec24(new TlsBytes().bytes(der)).vec24(new TlsBytes().zeros(100))).buffer(), false);
        assertThat(garbage.parseError()).startsWith("certificate 1: CertificateException");
        assertThat(garbage.certificates()).hasSize(1);

        CertificateMessage<X509Certificate> lie = CertificateMessage.parse(new TlsBytes().u24(0xFFFFFF).zeros(10).buffer(), false);
        assertThat(lie.parseError()).isEqualTo("certificate_list: needs 16777215 bytes, 10 left");

        CertificateMessage<X509Certificate> trailing = CertificateMessage.parse(new TlsBytes().u24(0).u8(7).buffer(), false);
        assertThat(trailing.parseError()).isEqualTo("1 trailing bytes after certificate_list");

        for (int length = 0; length < der.length + 6; length++) {
            byte[] full = new TlsBytes().vec24(new TlsBytes().vec24(new TlsBytes().bytes(der))).toBytes();
            CertificateMessage<X509Certificate> cut = CertificateMessage.parse(ByteBuffer.wrap(full, 0, length), false);
            assertThat(cut.parseError()).as("length %d", length).isNotNull();
            assertThat(cut.certificates()).isEmpty();
        }
        assertThat(CertificateMessage.parse(null, true).parseError()).isEqualTo("no message");
    }
}
