package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.ClientHello;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** JA4 and JA3 against values published by others: FoxIO's JA4 outputs and spec examples, tshark's JA3. */
class Ja4Test {

    /**
     * FoxIO's implementations print "99" for a first ALPN value of 0xBA 0xAD; the specification says a
     * non-alphanumeric first or last byte is shown as the first and last hex characters of the value: "b", "d".
     * See src/test/resources/anatomy/README.md and FoxIO-LLC/ja4 issue #326.
     */
    private static final Map<String, String> SPEC_OVER_PUBLISHED =
            Collections.singletonMap("t13d151699", "t13d1516bd");

    static Stream<Arguments> clientHellos() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String[] row : Vectors.read("ja4-client-hellos.tsv")) {
            out.add(Arguments.of(row[0] + " " + row[1] + " stream " + row[2] + " hello " + row[3], row));
        }
        return out.stream();
    }

    private static String spec(String published) {
        if (published.equals("-")) {
            return published;
        }
        String a = published.substring(0, 10);
        return SPEC_OVER_PUBLISHED.getOrDefault(a, a) + published.substring(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientHellos")
    void matchesFoxIoPublishedJa4(String name, String[] row) throws Exception {
        Ja4.Transport transport = row[1].equals("udp") ? Ja4.Transport.QUIC : Ja4.Transport.TCP;
        ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(TlsBytes.hex(row[9])));

        assertThat(hello.parseError()).isNull();
        assertThat(Ja4.fingerprint(hello, transport)).isEqualTo(spec(row[5]));
        if (!row[6].equals("-")) {
            assertThat(Ja4.raw(hello, transport)).isEqualTo(spec(row[6]));
        }
        if (!row[7].equals("-")) {
            assertThat(Ja4.rawOriginalOrder(hello, transport)).isEqualTo(spec(row[7]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientHellos")
    void matchesTsharkJa3(String name, String[] row) throws Exception {
        ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(TlsBytes.hex(row[9])));

        assertThat(Ja3.clientString(hello)).isEqualTo(row[8]);
        assertThat(Ja3.clientMd5(hello)).isEqualTo(md5(row[8]));
    }

    @Test
    void theOneSpecOverrideStillMatchesEverythingElsePublished() throws Exception {
        int overridden = 0;
        for (String[] row : Vectors.read("ja4-client-hellos.tsv")) {
            if (SPEC_OVER_PUBLISHED.containsKey(row[5].substring(0, 10))) {
                overridden++;
                ClientHello hello = ClientHelloParser.parse(ByteBuffer.wrap(TlsBytes.hex(row[9])));
                assertThat(hello.alpnProtocols().get(0)).isEqualTo("\u00ba\u00ad");
                assertThat(Ja4.fingerprint(hello).substring(10)).isEqualTo(row[5].substring(10));
            }
        }
        assertThat(overridden).isEqualTo(1);
    }

    /** The specification's worked example (technical_details/JA4.md), fed as a hand-built ClientHello. */
    @Test
    void specificationExample() {
        int[] ciphers = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
            0x009c, 0x009d, 0x002f, 0x0035};
        int[] extensions = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012,
            0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
        int[] sigalgs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
        ClientHello hello = ClientHelloParser.parse(exampleHello(ciphers, extensions, sigalgs).buffer());

        assertThat(hello.parseError()).isNull();
        assertThat(Ja4.fingerprint(hello)).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(Ja4.raw(hello, Ja4.Transport.TCP)).isEqualTo("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,"
                + "c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,"
                + "0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601");
        assertThat(Ja4.rawOriginalOrder(hello, Ja4.Transport.TCP)).isEqualTo("t13d1516h2_1301,1302,1303,c02b,"
                + "c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,"
                + "0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601");
        assertThat(Ja4.originalOrder(hello, Ja4.Transport.TCP)).isEqualTo("t13d1516h2_acb858a92679_18f69afefd3d");
    }

    /** The spec: "If there are no signature algorithms ... the string ends without an underscore" (6d807ffa2a79). */
    @Test
    void specificationExampleWithoutSignatureAlgorithms() {
        int[] ciphers = {0x1301};
        int[] extensions = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x0005, 0x0023, 0x0012,
            0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0x000d};
        // signature_algorithms present but empty: no algorithms to append.
        ClientHello hello = ClientHelloParser.parse(exampleHello(ciphers, extensions, new int[0]).buffer());

        assertThat(Ja4.fingerprint(hello)).endsWith("_6d807ffa2a79");
    }

    @Test
    void emptyListsHashToZeros() {
        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[0], null).buffer());
        assertThat(hello.parseError()).isNull();
        assertThat(Ja4.fingerprint(hello)).isEqualTo("t12i000000_000000000000_000000000000");
        assertThat(Ja3.clientString(hello)).isEqualTo("771,,,,");

        // Only SNI and ALPN: the sorted extension list is empty.
        TlsBytes ext = new TlsBytes().extension(0, ClientHelloTest.sni("x.example"))
                .extension(16, TlsBytes.alpn("h2".getBytes(StandardCharsets.US_ASCII)));
        hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[] {0x1301}, ext).buffer());
        assertThat(Ja4.fingerprint(hello)).matches("t12d0102h2_[0-9a-f]{12}_000000000000");
    }

    /** The ALPN examples of the specification's "ALPN Extension Value" section, byte for byte. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "6832, h2",
        "687474702f312e31, h1",
        "AB, ab",
        "20, 20",
        "ABCD, ad",
        "2061, 21",
        "30AB, 3b",
        "6120, 60",
        "3031ABCD, 3d",
        "30ABCD31, 01",
        "61, aa",
    })
    void alpnCharactersFollowTheSpecification(String firstAlpnHex, String expected) {
        TlsBytes ext = new TlsBytes().extension(16, TlsBytes.alpn(TlsBytes.hex(firstAlpnHex),
                "http/1.1".getBytes(StandardCharsets.US_ASCII)));
        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[] {0x1301}, ext).buffer());

        assertThat(hello.parseError()).isNull();
        assertThat(Ja4.fingerprint(hello).substring(8, 10)).isEqualTo(expected);
    }

    @Test
    void noOrEmptyAlpnIsZeroZero() {
        TlsBytes emptyFirst = new TlsBytes().extension(16, TlsBytes.alpn(new byte[0], new byte[] {'h', '2'}));
        assertThat(Ja4.fingerprint(ClientHelloParser.parse(TlsBytes.clientHello(new int[] {1}, emptyFirst).buffer())))
                .startsWith("t12i010100_");
        TlsBytes noValues = new TlsBytes().extension(16, new TlsBytes().u16(0));
        assertThat(Ja4.fingerprint(ClientHelloParser.parse(TlsBytes.clientHello(new int[] {1}, noValues).buffer())))
                .startsWith("t12i010100_");
    }

    @Test
    void versionComesFromSupportedVersionsIgnoringGrease() {
        TlsBytes ext = new TlsBytes().extension(43,
                new TlsBytes().vec8(new TlsBytes().u16(0xFAFA).u16(0x0302).u16(0x0301)));
        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(new int[] {0x002F}, ext).buffer());
        assertThat(Ja4.fingerprint(hello)).startsWith("t11i0101");

        TlsBytes unknown = new TlsBytes().extension(43, new TlsBytes().vec8(new TlsBytes().u16(0x7F1C)));
        assertThat(Ja4.fingerprint(ClientHelloParser.parse(TlsBytes.clientHello(new int[] {1}, unknown).buffer())))
                .startsWith("t00i");
        assertThat(Ja4.version(0x0300)).isEqualTo("s3");
        assertThat(Ja4.version(0x0002)).isEqualTo("s2");
        assertThat(Ja4.version(0xFEFF)).isEqualTo("d1");
        assertThat(Ja4.version(0xFEFC)).isEqualTo("d3");
    }

    @Test
    void countsStopAt99() {
        int[] ciphers = new int[150];
        for (int i = 0; i < ciphers.length; i++) {
            ciphers[i] = 0x0100 + i;
        }
        ClientHello hello = ClientHelloParser.parse(TlsBytes.clientHello(ciphers, new TlsBytes()).buffer());
        assertThat(Ja4.fingerprint(hello)).startsWith("t12i990000_");
    }

    private static TlsBytes exampleHello(int[] ciphers, int[] extensions, int[] sigalgs) {
        TlsBytes ext = new TlsBytes();
        for (int type : extensions) {
            switch (type) {
                case 0x0000:
                    ext.extension(type, ClientHelloTest.sni("example.com"));
                    break;
                case 0x0010:
                    ext.extension(type, TlsBytes.alpn("h2".getBytes(StandardCharsets.US_ASCII),
                            "http/1.1".getBytes(StandardCharsets.US_ASCII)));
                    break;
                case 0x000d:
                    ext.extension(type, new TlsBytes().u16List16(sigalgs));
                    break;
                case 0x002b:
                    ext.extension(type, new TlsBytes().vec8(new TlsBytes().u16(0x0304).u16(0x0303)));
                    break;
                case 0x000a:
                    ext.extension(type, new TlsBytes().u16List16(0x001d, 0x0017));
                    break;
                case 0x000b:
                    ext.extension(type, new TlsBytes().vec8(new TlsBytes().u8(0)));
                    break;
                default:
                    ext.extension(type, new TlsBytes());
            }
        }
        return TlsBytes.clientHello(ciphers, ext);
    }

    static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
