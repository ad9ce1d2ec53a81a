package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.ServerHello;
import io.tlsagent.testsupport.EnginePair;
import io.tlsagent.testsupport.TestPki;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class ClientHelloTest {

    /** The ClientHello body the JDK's own client engine sends first. */
    static ByteBuffer jdkClientHello(SSLEngine client) throws Exception {
        return ByteBuffer.wrap(EnginePair.clientHelloBody(client));
    }

    private static SSLEngine client(String[] protocols, String[] suites, String sni, String... alpn) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine("peer.example.test", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        if (suites != null) {
            p.setCipherSuites(suites);
        }
        if (sni != null) {
            p.setServerNames(Collections.singletonList(new SNIHostName(sni)));
        }
        p.setApplicationProtocols(alpn);
        engine.setSSLParameters(p);
        return engine;
    }

    @Test
    void jdkClientHelloShowsWhatTheEngineWasToldToOffer() throws Exception {
        String[] suites = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};
        SSLEngine engine = client(new String[] {"TLSv1.3", "TLSv1.2"}, suites, "service.example.test", "h2",
                "http/1.1");

        ByteBuffer body = jdkClientHello(engine);
        int position = body.position();
        ClientHello hello = ClientHelloParser.parse(body);

        assertThat(body.position()).as("buffer untouched").isEqualTo(position);
        assertThat(hello.parseError()).isNull();
        assertThat(hello.truncated()).isFalse();
        assertThat(hello.legacyVersion()).isEqualTo(0x0303);
        assertThat(TlsNames.versions(hello.supportedVersions())).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(hello.highestVersion()).isEqualTo(0x0304);
        assertThat(TlsNames.cipherSuites(hello.cipherSuites())).containsExactly(suites);
        assertThat(hello.serverName()).isEqualTo("service.example.test");
        assertThat(hello.alpnProtocols()).containsExactly("h2", "http/1.1");
        assertThat(TlsNames.extensions(hello.extensions())).contains("server_name", "supported_groups", "signature_algorithms",
                "application_layer_protocol_negotiation", "supported_versions", "key_share");
        assertThat(TlsNames.extensions(hello.extensions())).noneMatch(n -> n.startsWith("0x"));
        assertThat(TlsNames.groups(hello.supportedGroups())).contains("x25519", "secp256r1").noneMatch(n -> n.startsWith("0x"));
        assertThat(TlsNames.signatureSchemes(hello.signatureAlgorithms())).contains("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256")
                .noneMatch(n -> n.startsWith("0x"));
        // JSSE sends a 32-byte legacy session ID for middlebox compatibility, and no PSK on a first contact.
        assertThat(hello.sessionIdLength()).isEqualTo(32);
        assertThat(hello.pskOffered()).isFalse();
        assertThat(hello.pskLength()).isEqualTo(-1);
        assertThat(hello.hasGrease()).isFalse();

        int extensions = hello.extensions().size();
        assertThat(Ja4.fingerprint(hello)).startsWith("t13d04" + (extensions < 10 ? "0" : "") + extensions + "h2_");
        assertThat(Ja3.clientString(hello)).startsWith("771,4866-4865-49196-52392,");
    }

    @Test
    void tls12OnlyHelloWithoutSniOrAlpn() throws Exception {
        String[] suites = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"};
        SSLEngine engine = client(new String[] {"TLSv1.2"}, suites, null);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(Collections.emptyList());
        engine.setSSLParameters(p);

        ClientHello hello = ClientHelloParser.parse(jdkClientHello(engine));

        assertThat(hello.parseError()).isNull();
        assertThat(hello.highestVersion()).isEqualTo(0x0303);
        assertThat(hello.cipherSuites()).containsExactly(0xC027, 0x009E);
        assertThat(hello.serverName()).isNull();
        assertThat(hello.alpnProtocols()).isEmpty();
        assertThat(hello.ecPointFormats()).containsExactly(0);
        assertThat(Ja4.fingerprint(hello)).startsWith("t12i02").contains("00_");
    }

    @Test
    void resumptionOffersAPskButOnlyItsLengthIsKept() throws Exception {
        TestPki pki = TestPki.create();
        SSLContext clientCtx = pki.clientContext();
        SSLContext serverCtx = pki.serverContext();
        newPair(clientCtx, serverCtx).handshake();

        EnginePair second = newPair(clientCtx, serverCtx).handshake();
        ClientHello hello = ClientHelloParser.parse(EnginePair.body(second.clientMessages(), 1));

        assertThat(second.client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(hello.parseError()).isNull();
        assertThat(hello.pskOffered()).isTrue();
        assertThat(hello.pskLength()).isGreaterThan(32);
        // RFC 8446 4.2.11: pre_shared_key must be the last extension.
        assertThat(hello.extensions().get(hello.extensions().size() - 1)).isEqualTo(41);
    }

    private static EnginePair newPair(SSLContext clientCtx, SSLContext serverCtx) {
        SSLEngine c = clientCtx.createSSLEngine("localhost", 8443);
        c.setUseClientMode(true);
        SSLEngine s = serverCtx.createSSLEngine();
        s.setUseClientMode(false);
        return new EnginePair(c, s).recordingSentBytes();
    }

    @Test
    void noSecretBearingBytesAreKept() {
        for (Field f : ClientHello.class.getDeclaredFields()) {
            assertThat(f.getType()).as(f.getName()).isNotIn(byte[].class, ByteBuffer.class);
        }
        for (Field f : ServerHello.class.getDeclaredFields()) {
            assertThat(f.getType()).as(f.getName()).isNotIn(byte[].class, ByteBuffer.class);
        }
    }

    /** Every suite the JDK puts in a ClientHello is in the table, under the JDK's own (IANA) name, in order. */
    @Test
    void cipherSuiteTableNamesEverySuiteTheJdkOffers() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(engine.getSupportedProtocols());
        engine.setEnabledCipherSuites(engine.getSupportedCipherSuites());
        List<String> enabled = new ArrayList<>();
        for (String s : engine.getEnabledCipherSuites()) {
            enabled.add(s.startsWith("SSL_") ? "TLS_" + s.substring(4) : s);
        }

        ClientHello hello = ClientHelloParser.parse(jdkClientHello(engine));

        assertThat(hello.cipherSuites()).hasSizeGreaterThan(30).allMatch(CipherSuites::isKnown);
        List<String> names = TlsNames.cipherSuites(hello.cipherSuites());
        assertThat(enabled).containsSubsequence(names);
        assertThat(CipherSuites.name(0x1301)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(CipherSuites.name(0xABCD)).isEqualTo("0xabcd");
        assertThat(CipherSuites.name(0x2A2A)).isEqualTo("grease(0x2a2a)");
    }

    @Test
    void greaseIsKeptInTheListsAndFlagged() {
        TlsBytes ext = new TlsBytes()
                .extension(0x1A1A, new TlsBytes())
                .extension(10, new TlsBytes().u16List16(0x2A2A, 0x001D, 0x11EC))
                .extension(43, new TlsBytes().vec8(new TlsBytes().u16(0x3A3A).u16(0x0304).u16(0x0303)))
                .extension(13, new TlsBytes().u16List16(0x0403, 0x0804))
                .extension(11, new TlsBytes().vec8(new TlsBytes().u8(0)))
                .extension(0xFAFA, new TlsBytes().u8(0));
        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[] {0x0A0A, 0x1301, 0xC02B}, ext).buffer());

        assertThat(hello.parseError()).isNull();
        assertThat(hello.hasGrease()).isTrue();
        assertThat(TlsNames.cipherSuites(hello.cipherSuites())).containsExactly("grease(0x0a0a)", "TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(TlsNames.extensions(hello.extensions())).containsExactly("grease(0x1a1a)", "supported_groups",
                "supported_versions", "signature_algorithms", "ec_point_formats", "grease(0xfafa)");
        assertThat(TlsNames.groups(hello.supportedGroups())).containsExactly("grease(0x2a2a)", "x25519", "X25519MLKEM768");
        assertThat(TlsNames.versions(hello.supportedVersions())).containsExactly("grease(0x3a3a)", "TLSv1.3", "TLSv1.2");
        assertThat(TlsNames.signatureSchemes(hello.signatureAlgorithms())).containsExactly("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256");
        assertThat(hello.highestVersion()).isEqualTo(0x0304);
        assertThat(Ja3.clientString(hello)).isEqualTo("771,4865-49195,10-43-13-11,29-4588,0");
    }

    @Test
    void sessionTicketAndSessionIdAreLengthsOnly() {
        TlsBytes ext = new TlsBytes().extension(35, new TlsBytes().zeros(180));
        byte[] body = new TlsBytes().u16(0x0303).zeros(32).vec8(new TlsBytes().zeros(16)).u16List16(0x002F)
                .u8(1).u8(0).vec16(ext).toBytes();

        ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(body));

        assertThat(hello.parseError()).isNull();
        assertThat(hello.sessionIdLength()).isEqualTo(16);
        assertThat(hello.sessionTicketOffered()).isTrue();
        assertThat(hello.sessionTicketLength()).isEqualTo(180);
    }

    @Test
    void readsFromPositionToLimitOfALargerBuffer() throws Exception {
        byte[] hello = TlsBytes.clientHello(new int[] {0x1301}, new TlsBytes()).toBytes();
        byte[] framed = new byte[hello.length + 20];
        Arrays.fill(framed, (byte) 0xEE);
        System.arraycopy(hello, 0, framed, 10, hello.length);
        ByteBuffer buf = ByteBuffer.wrap(framed);
        buf.position(10).limit(10 + hello.length);

        ClientHello parsed = ClientHelloParser.parse(buf);

        assertThat(parsed.parseError()).isNull();
        assertThat(parsed.cipherSuites()).containsExactly(0x1301);
        assertThat(buf.position()).isEqualTo(10);
        assertThat(buf.limit()).isEqualTo(10 + hello.length);
    }

    @Test
    void everyTruncationIsReportedNeverThrown() throws Exception {
        byte[] full = bytes(jdkClientHello(client(new String[] {"TLSv1.3", "TLSv1.2"}, null, "a.example", "h2")));
        // A hello cut right after legacy_compression_methods is a complete hello without extensions.
        int withoutExtensions = 2 + 32 + 1 + 32 + 2 + ClientHelloParser.parse(ByteBuffer.wrap(full)).cipherSuites().size() * 2 + 2;
        for (int length = 0; length < full.length; length++) {
            ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(full, 0, length));
            if (length == withoutExtensions) {
                assertThat(hello.parseError()).as("length %d", length).isNull();
                assertThat(hello.extensions()).isEmpty();
            } else {
                assertThat(hello.parseError()).as("length %d", length).isNotNull();
            }
        }
        assertThat(ClientHelloParser.parse(ByteBuffer.wrap(full, 0, 40)).parseError())
                .isEqualTo("legacy_session_id: needs 32 bytes, 5 left");
    }

    @Test
    void lyingLengthsAreCaughtWithoutReadingOrAllocatingPastTheInput() {
        byte[] body = new TlsBytes().u16(0x0303).zeros(32).u8(0).u16(0xFFFE).u16(0x1301).toBytes();
        ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(body));
        assertThat(hello.parseError()).isEqualTo("cipher_suites: needs 65534 bytes, 2 left");
        assertThat(hello.cipherSuites()).isEmpty();

        TlsBytes badGroups = new TlsBytes().extension(10, new TlsBytes().u16(200).u16(0x001D));
        hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[] {0x1301}, badGroups).buffer());
        assertThat(hello.parseError()).isEqualTo("extension supported_groups: named_group_list: needs 200 bytes, 2 left");
        assertThat(hello.cipherSuites()).containsExactly(0x1301);
        assertThat(hello.extensions()).containsExactly(10);

        assertThat(ClientHelloParser.parse(null).parseError()).isEqualTo("no message");
        assertThat(ClientHelloParser.parse(ByteBuffer.allocate(0)).parseError()).isEqualTo("legacy_version: needs 2 bytes, 0 left");
    }

    @Test
    void hostileLengthsCostNothingBig() {
        // 40-odd bytes claiming 65534 bytes of cipher suites, 16 MiB-style extension blocks, and so on.
        byte[][] hostile = {
            new TlsBytes().u16(0x0303).zeros(32).u8(0).u16(0xFFFE).u16(0x1301).toBytes(),
            new TlsBytes().u16(0x0303).zeros(32).u8(0).u16(2).u16(0x1301).u8(1).u8(0).u16(0xFFFF).toBytes(),
            TlsBytes.clientHello(new int[] {0x1301}, new TlsBytes().u16(16).u16(0xFFFF).u16(0xFFFF)).toBytes(),
            TlsBytes.clientHello(new int[] {0x1301}, new TlsBytes().u16(10).u16(4).u16(0xFFFE).u16(0)).toBytes(),
        };
        for (byte[] input : hostile) {
            long allocated = Allocations.steadyState(() -> ClientHelloParser.parse(ByteBuffer.wrap(input)));
            assertThat(ClientHelloParser.parse(ByteBuffer.wrap(input)).parseError()).isNotNull();
            assertThat(allocated).as("allocated for %d bytes", input.length).isLessThan(4096);
        }
    }

    @Test
    void listsAreCappedAndSaySo() {
        int[] suites = new int[1000];
        for (int i = 0; i < suites.length; i++) {
            suites[i] = 0x0100 + i;
        }
        TlsBytes ext = new TlsBytes();
        for (int i = 0; i < 80; i++) {
            ext.extension(0x7000 + i, new TlsBytes());
        }
        TlsBytes alpnList = new TlsBytes();
        for (int i = 0; i < 20; i++) {
            alpnList.vec8(new TlsBytes().bytes(("p" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        ext.extension(16, new TlsBytes().vec16(alpnList));

        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(suites, ext).buffer());

        assertThat(hello.parseError()).isNull();
        assertThat(hello.truncated()).isTrue();
        assertThat(hello.cipherSuites()).hasSize(Limits.MAX_CIPHER_SUITES);
        assertThat(hello.extensions()).hasSize(Limits.MAX_EXTENSIONS);
        assertThat(hello.alpnProtocols()).hasSize(Limits.MAX_ALPN_PROTOCOLS).startsWith("p0", "p1");
        assertThat(Ja4.fingerprint(hello)).startsWith("t12i9964p0_");
    }

    @Test
    void repeatedExtensionIsAnError() {
        TlsBytes ext = new TlsBytes().extension(0, sni("a.example")).extension(0, sni("b.example"));
        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[] {0x1301}, ext).buffer());
        assertThat(hello.parseError()).isEqualTo("extension server_name repeated");
        assertThat(hello.serverName()).isEqualTo("a.example");
    }

    @Test
    void dtlsHelloCarriesACookie() {
        byte[] body = new TlsBytes().u16(0xFEFD).zeros(32).u8(0).vec8(new TlsBytes().zeros(20))
                .u16List16(0xC02B).u8(1).u8(0).vec16(new TlsBytes().extension(0, sni("dtls.example"))).toBytes();
        ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(body));
        assertThat(hello.parseError()).isNull();
        assertThat(hello.cipherSuites()).containsExactly(0xC02B);
        assertThat(Ja4.fingerprint(hello, Ja4.Transport.DTLS)).startsWith("dd2d0101");
    }

    static TlsBytes sni(String host) {
        byte[] name = host.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new TlsBytes().vec16(new TlsBytes().u8(0).vec16(new TlsBytes().bytes(name)));
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
