package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.ServerHello;
import io.tlsagent.testsupport.TestPki;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes every parser with random bytes and with mutations (bit flips, inserts, deletes, cuts, overwritten
 * length fields) of real messages: nothing may throw, every result is non-null, every list stays within its cap
 * and within what the input's size allows, and a ClientHello parse allocates no more than the input implies.
 *
 * <p>{@code -Dtlsagent.fuzz.tries=N} sets the total number of inputs across the four properties (default
 * 10,000, a few seconds); e.g. {@code -Dtlsagent.fuzz.tries=1000000} for a long run.
 */
@AddLifecycleHook(value = ParserFuzzTest.Tries.class, propagateTo = PropagationMode.DIRECT_DESCENDANTS)
class ParserFuzzTest {

    private static final int PROPERTIES = 4;
    private static final List<byte[]> CLIENT_HELLOS = new ArrayList<>();
    private static final List<byte[]> SERVER_HELLOS = new ArrayList<>();
    private static final List<byte[]> CERTIFICATES = new ArrayList<>();

    static {
        try {
            SSLEngine client = javax.net.ssl.SSLContext.getDefault().createSSLEngine("fuzz.example", 443);
            client.setUseClientMode(true);
            CLIENT_HELLOS.add(ClientHelloTest.bytes(ClientHelloTest.jdkClientHello(client)));
            List<String[]> vectors = Vectors.read("ja4-client-hellos.tsv");
            for (int i = 0; i < vectors.size(); i += 6) {
                CLIENT_HELLOS.add(TlsBytes.hex(vectors.get(i)[9]));
            }
            for (String[] row : Vectors.read("server-hellos.tsv")) {
                SERVER_HELLOS.add(TlsBytes.hex(row[6]));
            }
            TestPki pki = TestPki.create();
            CERTIFICATES.add(new TlsBytes().vec24(new TlsBytes().vec24(new TlsBytes().bytes(pki.server.getEncoded()))
                    .vec24(new TlsBytes().bytes(pki.ca.getEncoded()))).toBytes());
            CERTIFICATES.add(new TlsBytes().u8(0).vec24(new TlsBytes().vec24(new TlsBytes().bytes(pki.server.getEncoded()))
                    .vec16(new TlsBytes())).toBytes());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Property
    void randomBytesNeverBreakAParser(@ForAll("randomBytes") byte[] input) {
        checkAll(input);
    }

    @Property
    void mutatedClientHellosNeverBreakAParser(@ForAll("mutatedClientHellos") byte[] input) {
        checkAll(input);
        // Shows that mutants reach deep: many still parse whole, the rest fail at every depth.
        Statistics.collect(ClientHelloParser.parse(ByteBuffer.wrap(input)).parseError() == null ? "parsed" : "error");
    }

    @Property
    void mutatedServerHellosNeverBreakAParser(@ForAll("mutatedServerHellos") byte[] input) {
        checkAll(input);
    }

    @Property
    void mutatedCertificateMessagesNeverBreakAParser(@ForAll("mutatedCertificates") byte[] input) {
        checkAll(input);
        int tls12 = CertificateMessage.parse(ByteBuffer.wrap(input), false).certificates().size();
        int tls13 = CertificateMessage.parse(ByteBuffer.wrap(input), true).certificates().size();
        Statistics.collect("certificates decoded: " + Math.max(tls12, tls13));
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    }

    @Provide
    Arbitrary<byte[]> mutatedClientHellos() {
        return mutated(CLIENT_HELLOS);
    }

    @Provide
    Arbitrary<byte[]> mutatedServerHellos() {
        return mutated(SERVER_HELLOS);
    }

    @Provide
    Arbitrary<byte[]> mutatedCertificates() {
        return mutated(CERTIFICATES);
    }

    private static Arbitrary<byte[]> mutated(List<byte[]> seeds) {
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16)).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(seeds), mutation.list().ofMinSize(1).ofMaxSize(8))
                .as(Mutation::applyAll);
    }

    /** One edit of a message. Positions wrap around the current length, so every edit lands somewhere. */
    static final class Mutation {
        final int kind;
        final int position;
        final int value;
        final byte[] data;

        Mutation(int kind, int position, int value, byte[] data) {
            this.kind = kind;
            this.position = position;
            this.value = value;
            this.data = data;
        }

        static byte[] applyAll(byte[] seed, List<Mutation> mutations) {
            byte[] b = seed.clone();
            for (Mutation m : mutations) {
                b = m.apply(b);
            }
            return b;
        }

        byte[] apply(byte[] b) {
            int at = b.length == 0 ? 0 : position % b.length;
            switch (kind) {
                case 0: // flip one bit
                    if (b.length > 0) {
                        b[at] ^= (byte) (1 << (value & 7));
                    }
                    return b;
                case 1: // insert bytes
                    byte[] inserted = new byte[b.length + data.length];
                    System.arraycopy(b, 0, inserted, 0, at);
                    System.arraycopy(data, 0, inserted, at, data.length);
                    System.arraycopy(b, at, inserted, at + data.length, b.length - at);
                    return inserted;
                case 2: // delete a range
                    int n = Math.min(value % 64, b.length - at);
                    byte[] deleted = new byte[b.length - n];
                    System.arraycopy(b, 0, deleted, 0, at);
                    System.arraycopy(b, at + n, deleted, at, b.length - at - n);
                    return deleted;
                case 3: // cut
                    return Arrays.copyOf(b, at);
                default: // overwrite two bytes, as if a length field lied
                    if (b.length > 1) {
                        int p = Math.min(at, b.length - 2);
                        b[p] = (byte) (value >> 8);
                        b[p + 1] = (byte) value;
                    }
                    return b;
            }
        }
    }

    static void checkAll(byte[] input) {
        checkClientHello(input);
        checkServerHello(input);
        checkCertificate(input, false);
        checkCertificate(input, true);
        HellosTest.sameKeySameParse(input); // parsed once per kind: the kinds are never wrong
    }

    static void checkClientHello(byte[] input) {
        ClientHello h = ClientHelloParser.parse(ByteBuffer.wrap(input));
        assertThat(h).isNotNull();
        // Boxed values, list slots and a few strings: about 24 bytes per input byte at worst, plus fixed costs.
        long bound = 32L * input.length + 16 * 1024;
        long allocated = Allocations.steadyState(() -> ClientHelloParser.parse(ByteBuffer.wrap(input)));
        assertThat(allocated).as("bytes allocated for %d input bytes", input.length).isLessThanOrEqualTo(bound);
        assertThat(h.cipherSuites().size()).isLessThanOrEqualTo(Math.min(Limits.MAX_CIPHER_SUITES, input.length / 2));
        assertThat(h.extensions().size()).isLessThanOrEqualTo(Math.min(Limits.MAX_EXTENSIONS, input.length / 4));
        assertThat(h.supportedGroups().size()).isLessThanOrEqualTo(Limits.MAX_GROUPS);
        assertThat(h.signatureAlgorithms().size()).isLessThanOrEqualTo(Limits.MAX_SIGNATURE_ALGORITHMS);
        assertThat(h.supportedVersions().size()).isLessThanOrEqualTo(Limits.MAX_VERSIONS);
        assertThat(h.ecPointFormats().size()).isLessThanOrEqualTo(Limits.MAX_POINT_FORMATS);
        assertThat(h.alpnProtocols().size()).isLessThanOrEqualTo(Limits.MAX_ALPN_PROTOCOLS);
        int alpnChars = 0;
        for (String p : h.alpnProtocols()) {
            assertThat(p.length()).isLessThanOrEqualTo(Limits.MAX_ALPN_LENGTH);
            alpnChars += p.length();
        }
        assertThat(alpnChars).isLessThanOrEqualTo(input.length);
        if (h.serverName() != null) {
            assertThat(h.serverName().length())
                    .isLessThanOrEqualTo(Math.min(Limits.MAX_SERVER_NAME_LENGTH, input.length));
        }
        assertThat(h.sessionIdLength()).isLessThanOrEqualTo(input.length);
        assertThat(h.pskLength()).isLessThan(Math.max(input.length, 1));
        assertThat(h.sessionTicketLength()).isLessThan(Math.max(input.length, 1));
        assertThat(Ja4.fingerprint(h)).matches("t(13|12|11|10|s3|s2|d1|d2|d3|00)[di]\\d{4}[0-9A-Za-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
        assertThat(Ja4.raw(h, Ja4.Transport.QUIC)).startsWith("q");
        assertThat(Ja3.clientMd5(h)).hasSize(32);
        assertThat(h.toString()).isNotNull();
        TlsNames.cipherSuites(h.cipherSuites());
        TlsNames.extensions(h.extensions());
        TlsNames.groups(h.supportedGroups());
        TlsNames.signatureSchemes(h.signatureAlgorithms());
        TlsNames.versions(h.supportedVersions());
    }

    static void checkServerHello(byte[] input) {
        ServerHello h = ServerHelloParser.parse(ByteBuffer.wrap(input));
        assertThat(h).isNotNull();
        assertThat(h.extensions().size()).isLessThanOrEqualTo(Math.min(Limits.MAX_EXTENSIONS, input.length / 4));
        if (h.alpnProtocol() != null) {
            assertThat(h.alpnProtocol().length()).isLessThanOrEqualTo(Math.min(Limits.MAX_ALPN_LENGTH, input.length));
        }
        assertThat(Ja3.serverMd5(h)).hasSize(32);
        assertThat(h.toString()).isNotNull();
    }

    static void checkCertificate(byte[] input, boolean tls13) {
        CertificateMessage<java.security.cert.X509Certificate> m = CertificateMessage.parse(ByteBuffer.wrap(input),
                tls13);
        assertThat(m).isNotNull();
        assertThat(m.certificates().size()).isLessThanOrEqualTo(Limits.MAX_CERTIFICATES);
        for (java.security.cert.X509Certificate c : m.certificates()) {
            assertThat(Certificates.summary(c)).isNotNull();
        }
        // The summaries (decoded once per certificate, kept by encoding) read the same message the same way.
        CertificateMessage<io.tlsagent.record.CertificateInfo> summaries =
                CertificateMessage.summaries(ByteBuffer.wrap(input), tls13);
        assertThat(summaries.certificates()).hasSameSizeAs(m.certificates());
        assertThat(summaries.parseError()).isEqualTo(m.parseError());
        assertThat(summaries.truncated()).isEqualTo(m.truncated());
    }

    /** Sets each property's tries from -Dtlsagent.fuzz.tries (a total) and reports tries and time. */
    static final class Tries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            int total = Integer.getInteger("tlsagent.fuzz.tries", 10_000);
            context.attributes().setTries(Math.max(1, total / PROPERTIES));
            long start = System.nanoTime();
            PropertyExecutionResult result = property.execute();
            System.out.printf("[fuzz] %s: %d tries, %s, %d ms%n", context.label(), result.countTries(),
                    result.status(), (System.nanoTime() - start) / 1_000_000);
            return result;
        }
    }
}
