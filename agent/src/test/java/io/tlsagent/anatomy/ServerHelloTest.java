package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.ServerHello;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerHelloTest {

    private static EnginePair pair(TestPki pki, String protocol, String... alpn) throws Exception {
        SSLEngine c = pki.clientContext().createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {protocol});
        SSLParameters cp = c.getSSLParameters();
        cp.setApplicationProtocols(alpn);
        c.setSSLParameters(cp);
        SSLEngine s = pki.serverContext().createSSLEngine();
        s.setUseClientMode(false);
        SSLParameters sp = s.getSSLParameters();
        sp.setApplicationProtocols(alpn);
        s.setSSLParameters(sp);
        return new EnginePair(c, s).recordingSentBytes().handshake();
    }

    @Test
    void tls13ServerHelloFromTheJdk() throws Exception {
        EnginePair p = pair(TestPki.create(), "TLSv1.3");
        ClientHello clientHello = ClientHelloParser.parse(EnginePair.body(p.clientMessages(), 1));
        ServerHello hello = ServerHelloParser.parse(EnginePair.body(p.serverMessages(), 2));

        assertThat(hello.parseError()).isNull();
        assertThat(hello.helloRetryRequest()).isFalse();
        assertThat(hello.legacyVersion()).isEqualTo(0x0303);
        assertThat(hello.selectedVersion()).isEqualTo(0x0304);
        assertThat(TlsNames.version(hello.version())).isEqualTo(p.client.getSession().getProtocol());
        assertThat(CipherSuites.name(hello.cipherSuite())).isEqualTo(p.client.getSession().getCipherSuite());
        assertThat(TlsNames.extensions(hello.extensions())).contains("supported_versions", "key_share");
        assertThat(clientHello.supportedGroups()).contains(hello.keyShareGroup());
        assertThat(hello.sessionIdLength()).isEqualTo(clientHello.sessionIdLength());
        assertThat(Ja3.serverString(hello)).startsWith("771," + hello.cipherSuite() + ",");
    }

    @Test
    void tls12ServerHelloCarriesTheChosenAlpn() throws Exception {
        EnginePair p = pair(TestPki.create(), "TLSv1.2", "h2", "http/1.1");
        ServerHello hello = ServerHelloParser.parse(EnginePair.body(p.serverMessages(), 2));

        assertThat(hello.parseError()).isNull();
        assertThat(hello.version()).isEqualTo(0x0303);
        assertThat(hello.selectedVersion()).isEqualTo(-1);
        assertThat(CipherSuites.name(hello.cipherSuite())).isEqualTo(p.client.getSession().getCipherSuite());
        assertThat(hello.alpnProtocol()).isEqualTo("h2").isEqualTo(p.client.getApplicationProtocol());
        assertThat(hello.compressionMethod()).isZero();
        assertThat(TlsNames.extensions(hello.extensions())).contains("application_layer_protocol_negotiation");
    }

    static Stream<Arguments> serverHellos() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String[] row : Vectors.read("server-hellos.tsv")) {
            out.add(Arguments.of(row[0] + " " + row[1] + " stream " + row[2] + " hello " + row[3], row));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverHellos")
    void matchesTsharkJa3s(String name, String[] row) throws Exception {
        ServerHello hello = ServerHelloParser.parse(ByteBuffer.wrap(TlsBytes.hex(row[6])));

        assertThat(hello.parseError()).isNull();
        assertThat(Ja3.serverString(hello)).isEqualTo(row[5]);
        assertThat(Ja3.serverMd5(hello)).isEqualTo(Ja4Test.md5(row[5]));
    }

    /** The handshake thread's scan without a parse ({@code shape}) agrees with the parse on every captured hello. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("serverHellos")
    void theShapeAgreesWithTheParse(String name, String[] row) throws Exception {
        ByteBuffer body = ByteBuffer.wrap(TlsBytes.hex(row[6]));
        ServerHello hello = ServerHelloParser.parse(body);
        int shape = ServerHelloParser.shape(body);
        assertThat(ServerHelloParser.selectsTls13(shape)).isEqualTo(hello.selectedVersion() == 0x0304);
        assertThat(ServerHelloParser.keyShareGroup(shape)).isEqualTo(hello.keyShareGroup());
        assertThat(ServerHelloParser.acceptsPsk(shape)).isEqualTo(hello.extensions().contains(41));
        assertThat(ServerHelloParser.isHelloRetryRequest(body)).isEqualTo(hello.helloRetryRequest());
        assertThat(body.position()).isZero();
    }

    @Test
    void recognizesHelloRetryRequests() throws Exception {
        int retries = 0;
        for (String[] row : Vectors.read("server-hellos.tsv")) {
            ServerHello hello = ServerHelloParser.parse(ByteBuffer.wrap(TlsBytes.hex(row[6])));
            // RFC 8446 4.1.3: the HelloRetryRequest random, as captured on the wire.
            boolean retryRandom = row[6].substring(4, 68).equals(
                    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
            assertThat(hello.helloRetryRequest()).as(row[0] + " " + row[2]).isEqualTo(retryRandom);
            if (retryRandom) {
                retries++;
                assertThat(hello.version()).isEqualTo(0x0304);
                assertThat(hello.keyShareGroup()).isPositive();
                assertThat(TlsNames.group(hello.keyShareGroup())).doesNotStartWith("0x");
            }
        }
        assertThat(retries).isEqualTo(2);
    }

    @Test
    void truncationsAreReportedNeverThrown() throws Exception {
        byte[] full = ClientHelloTest.bytes(EnginePair.body(pair(TestPki.create(), "TLSv1.3").serverMessages(), 2));
        for (int length = 0; length < full.length; length++) {
            ServerHello hello = ServerHelloParser.parse(ByteBuffer.wrap(full, 0, length));
            if (length == 2 + 32 + 1 + 32 + 3) {
                assertThat(hello.parseError()).as("no extensions at all is a valid TLS 1.2 shape").isNull();
            } else {
                assertThat(hello.parseError()).as("length %d", length).isNotNull();
            }
        }
        assertThat(ServerHelloParser.parse(null).parseError()).isEqualTo("no message");
    }
}
