package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.ServerHello;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * Hellos parsed once per kind: the cache gives exactly what parsing gives, hellos that differ only in their
 * per-connection parts share one entry, others never do. The fuzz test ({@code ParserFuzzTest}) runs
 * {@link #sameKeySameParse} on thousands of mutated hellos.
 */
class HellosTest {

    @Test
    void realClientHellosFromTheCacheAreWhatParsingGives() throws Exception {
        for (byte[] hello : corpusClientHellos()) {
            ClientHello direct = ClientHelloParser.parse(ByteBuffer.wrap(hello));
            for (int i = 0; i < 2; i++) { // the first ask parses, the second finds it
                Hellos.Offer offer = Hellos.clientHello(ByteBuffer.wrap(hello));
                assertThat(values(offer.hello())).isEqualTo(values(direct));
                assertThat(offer.ja3()).isEqualTo(Ja3.clientString(direct));
                assertThat(offer.ja3Md5()).isEqualTo(Ja3.clientMd5(direct));
                assertThat(offer.ja4()).isEqualTo(Ja4.fingerprint(direct));
                assertThat(offer.id()).matches("[0-9a-f]{16}");
            }
            byte[] variant = perConnectionVariant(hello, true);
            assertThat(variant).isNotEqualTo(hello);
            assertThat(HelloKey.clientHello(ByteBuffer.wrap(variant))).isEqualTo(HelloKey.clientHello(ByteBuffer.wrap(hello)));
            assertThat(Hellos.clientHello(ByteBuffer.wrap(variant))).isSameAs(Hellos.clientHello(ByteBuffer.wrap(hello)));
            sameKeySameParse(hello);
        }
    }

    @Test
    void realServerHellosFromTheCacheAreWhatParsingGives() throws Exception {
        for (String[] row : Vectors.read("server-hellos.tsv")) {
            byte[] hello = TlsBytes.hex(row[6]);
            ServerHello direct = ServerHelloParser.parse(ByteBuffer.wrap(hello));
            for (int i = 0; i < 2; i++) {
                Hellos.Answer answer = Hellos.serverHello(ByteBuffer.wrap(hello));
                assertThat(values(answer.hello())).isEqualTo(values(direct));
                assertThat(answer.ja3s()).isEqualTo(row[5]);
            }
            byte[] variant = perConnectionVariant(hello, false);
            assertThat(HelloKey.serverHello(ByteBuffer.wrap(variant))).isEqualTo(HelloKey.serverHello(ByteBuffer.wrap(hello)));
            sameKeySameParse(hello);
        }
    }

    @Test
    void oneKindOfClientIsOneOfferWhateverItsRandomSessionAndKeyShares() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        List<Hellos.Offer> offers = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // each engine makes a new random, session ID and key shares
            SSLEngine client = ctx.createSSLEngine("same.example", 443);
            client.setUseClientMode(true);
            offers.add(Hellos.clientHello(ClientHelloTest.jdkClientHello(client)));
        }
        assertThat(offers.get(1)).isSameAs(offers.get(0));
        assertThat(offers.get(2)).isSameAs(offers.get(0));

        SSLEngine other = ctx.createSSLEngine("other.example", 443); // another SNI: another offer
        other.setUseClientMode(true);
        Hellos.Offer another = Hellos.clientHello(ClientHelloTest.jdkClientHello(other));
        assertThat(another.id()).isNotEqualTo(offers.get(0).id());
        assertThat(another.ja4()).isEqualTo(offers.get(0).ja4()); // JA4 alone would not tell them apart
    }

    @Test
    void theGroupsAndKeyShareGroupsStayInTheKeyWhereJa4DropsThem() {
        int[] suites = {0x1301, 0x1302};
        TlsBytes x25519 = new TlsBytes().extension(10, new TlsBytes().u16List16(0x001d, 0x0017))
                .extension(51, new TlsBytes().vec16(new TlsBytes().u16(0x001d).vec16(new TlsBytes().zeros(32))));
        TlsBytes hybrid = new TlsBytes().extension(10, new TlsBytes().u16List16(0x11ec, 0x001d))
                .extension(51, new TlsBytes().vec16(new TlsBytes().u16(0x11ec).vec16(new TlsBytes().zeros(1216))));
        Hellos.Offer classic = Hellos.clientHello(TlsBytes.clientHello(suites, x25519).buffer());
        Hellos.Offer postQuantum = Hellos.clientHello(TlsBytes.clientHello(suites, hybrid).buffer());
        assertThat(postQuantum.ja4()).isEqualTo(classic.ja4());
        assertThat(postQuantum.id()).isNotEqualTo(classic.id());
        assertThat(postQuantum.hello().supportedGroups()).containsExactly(0x11ec, 0x001d);
    }

    @Test
    void aTicketOrPskOfAnotherLengthIsTheSameOfferWithItsOwnLengths() {
        int[] suites = {0x1301};
        byte[][] hellos = {
            TlsBytes.clientHello(suites, new TlsBytes().extension(35, new TlsBytes())).toBytes(),
            TlsBytes.clientHello(suites, new TlsBytes().extension(35, new TlsBytes().zeros(160))
                    .extension(41, new TlsBytes().zeros(90))).toBytes(),
            TlsBytes.clientHello(suites, new TlsBytes().extension(35, new TlsBytes().zeros(200))
                    .extension(41, new TlsBytes().zeros(130))).toBytes(),
        };
        Hellos.Offer resuming = Hellos.clientHello(ByteBuffer.wrap(hellos[1]));
        Hellos.Offer resumingAgain = Hellos.clientHello(ByteBuffer.wrap(hellos[2]));
        assertThat(resumingAgain.id()).isEqualTo(resuming.id());
        assertThat(Hellos.clientHello(ByteBuffer.wrap(hellos[0])).id()).as("no PSK offered: another extension list")
                .isNotEqualTo(resuming.id());
        for (byte[] hello : hellos) {
            assertThat(values(Hellos.clientHello(ByteBuffer.wrap(hello)).hello()))
                    .isEqualTo(values(ClientHelloParser.parse(ByteBuffer.wrap(hello))));
        }
        assertThat(resumingAgain.hello().pskLength()).isEqualTo(130);
        assertThat(resumingAgain.hello().sessionTicketLength()).isEqualTo(200);
    }

    @Test
    void aKnownOfferIsFoundWithoutCopyingTheHello() throws Exception {
        SSLEngine client = SSLContext.getDefault().createSSLEngine("known.example", 443);
        client.setUseClientMode(true);
        byte[] hello = ClientHelloTest.bytes(ClientHelloTest.jdkClientHello(client));
        Hellos.Offer offer = Hellos.clientHello(ByteBuffer.wrap(hello));
        assertThat(Hellos.fingerprints(ByteBuffer.wrap(hello))).isSameAs(offer);
        ByteBuffer buffer = ByteBuffer.wrap(hello);
        long allocated = Allocations.steadyState(() -> Hellos.fingerprints(buffer));
        assertThat(allocated).as("a known hello of %d bytes costs two small walkers", hello.length).isLessThan(200);
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i <= 3 * Hellos.MAX_ENTRIES; i++) {
            Hellos.clientHello(TlsBytes.clientHello(new int[] {0x1301, 0x0100 + i}, new TlsBytes()).buffer());
            assertThat(Hellos.offersCached()).isBetween(1, 2 * Hellos.MAX_ENTRIES);
        }
    }

    /**
     * The cache's promise, for one hello: a variant of it that differs only in the per-connection parts has the
     * same key, and whenever two hellos have the same key their parses are equal, and the cached parse is the
     * direct one.
     */
    static void sameKeySameParse(byte[] hello) {
        boolean client = HelloKey.clientHello(ByteBuffer.wrap(hello)) != null;
        boolean server = HelloKey.serverHello(ByteBuffer.wrap(hello)) != null;
        byte[] variant = perConnectionVariant(hello, client);
        if (client && HelloKey.clientHello(ByteBuffer.wrap(hello)).equals(HelloKey.clientHello(ByteBuffer.wrap(variant)))) {
            assertThat(values(ClientHelloParser.parse(ByteBuffer.wrap(variant))))
                    .isEqualTo(values(ClientHelloParser.parse(ByteBuffer.wrap(hello))));
        }
        if (server && HelloKey.serverHello(ByteBuffer.wrap(hello)).equals(HelloKey.serverHello(ByteBuffer.wrap(variant)))) {
            assertThat(values(ServerHelloParser.parse(ByteBuffer.wrap(variant))))
                    .isEqualTo(values(ServerHelloParser.parse(ByteBuffer.wrap(hello))));
        }
        assertThat(values(Hellos.clientHello(ByteBuffer.wrap(variant)).hello()))
                .isEqualTo(values(ClientHelloParser.parse(ByteBuffer.wrap(variant))));
        assertThat(values(Hellos.serverHello(ByteBuffer.wrap(variant)).hello()))
                .isEqualTo(values(ServerHelloParser.parse(ByteBuffer.wrap(variant))));
    }

    /**
     * The hello with its per-connection bytes changed (random, session ID, key-share keys, PSK, ticket, cookie,
     * padding), where its structure can be walked; what cannot be walked stays as it is.
     */
    static byte[] perConnectionVariant(byte[] hello, boolean client) {
        byte[] b = hello.clone();
        boolean helloRetry = !client && b.length >= 34
                && ServerHelloParser.isHelloRetryRandom(new TlsReader(ByteBuffer.wrap(b, 2, b.length - 2)));
        if (!helloRetry) {
            flip(b, 2, 32); // random (a HelloRetryRequest's is fixed: what makes it one)
        }
        int at = 34;
        if (at >= b.length) {
            return b;
        }
        int sessionId = b[at] & 0xFF;
        flip(b, at + 1, sessionId);
        at += 1 + sessionId;
        if (client) {
            if (at + 2 > b.length) {
                return b;
            }
            at += 2 + u16(b, at); // cipher suites
            if (at + 1 > b.length) {
                return b;
            }
            at += 1 + (b[at] & 0xFF); // compression methods
        } else {
            at += 3; // cipher suite, compression method
        }
        if (at + 2 > b.length) {
            return b;
        }
        int end = Math.min(b.length, at + 2 + u16(b, at));
        at += 2;
        while (at + 4 <= end) {
            int type = u16(b, at);
            int length = u16(b, at + 2);
            int data = at + 4;
            if (data + length > end) {
                break;
            }
            if (type == 21 || type == 44 || (client && (type == 35 || type == 41))) {
                flip(b, data, length);
            } else if (type == 51 && client && length >= 2) {
                for (int e = data + 2; e + 4 <= data + length; ) {
                    int keyLength = u16(b, e + 2);
                    flip(b, e + 4, Math.min(keyLength, data + length - e - 4));
                    e += 4 + keyLength;
                }
            } else if (type == 51 && !client && length >= 4) {
                flip(b, data + 4, length - 4);
            }
            at = data + length;
        }
        return b;
    }

    private static int u16(byte[] b, int at) {
        return at + 1 < b.length ? ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF) : 0;
    }

    private static void flip(byte[] b, int from, int length) {
        for (int i = from; i < Math.min(b.length, from + length); i++) {
            b[i] ^= 0x5A;
        }
    }

    /** Every value a parsed hello shows, by accessor name (the records have no equals of their own). */
    static Map<String, Object> values(Object hello) {
        Map<String, Object> out = new TreeMap<>();
        for (Method m : hello.getClass().getMethods()) {
            if (m.getParameterCount() == 0 && m.getDeclaringClass() == hello.getClass()
                    && !Modifier.isStatic(m.getModifiers()) && !m.getName().equals("hashCode")) {
                try {
                    out.put(m.getName(), m.invoke(hello));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    private static List<byte[]> corpusClientHellos() throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String[] row : Vectors.read("ja4-client-hellos.tsv")) {
            out.add(TlsBytes.hex(row[9]));
        }
        SSLEngine client = SSLContext.getDefault().createSSLEngine("corpus.example", 443);
        client.setUseClientMode(true);
        out.add(ClientHelloTest.bytes(ClientHelloTest.jdkClientHello(client)));
        return out;
    }
}
