package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsagent.record.CertificateInfo;
import io.tlsagent.testsupport.TestCertificates;
import io.tlsagent.testsupport.TestPki;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

class CertificateInfoTest {

    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void summarizesARealCaSignedRsaCertificate() throws Exception {
        KeyPair ca = TestCertificates.rsa(2048);
        KeyPair leaf = TestCertificates.rsa(3072);
        X509Certificate cert = TestCertificates.certificate("CN=api.example.test,O=Example", leaf.getPublic(),
                "CN=Example CA", ca.getPrivate(), "SHA256withRSA", new BigInteger("00ABCDEF0123", 16),
                NOT_BEFORE, NOT_AFTER, false,
                new GeneralName(GeneralName.dNSName, "api.example.test"),
                new GeneralName(GeneralName.dNSName, "*.api.example.test"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.7"),
                new GeneralName(GeneralName.rfc822Name, "ops@example.test"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.test/api"));

        CertificateInfo info = Certificates.summary(cert);

        assertThat(info.subject()).as("RFC 2253 lists the last RDN first").isEqualTo("O=Example,CN=api.example.test");
        assertThat(info.issuer()).isEqualTo("CN=Example CA");
        assertThat(info.serialNumber()).isEqualTo("ABCDEF0123");
        assertThat(info.subjectAltNames()).containsExactly("DNS:api.example.test", "DNS:*.api.example.test",
                "IP:192.0.2.7", "email:ops@example.test", "URI:spiffe://example.test/api");
        assertThat(info.notBefore()).isEqualTo(NOT_BEFORE);
        assertThat(info.notAfter()).isEqualTo(NOT_AFTER);
        assertThat(info.keyAlgorithm()).isEqualTo("RSA");
        assertThat(info.keySize()).isEqualTo(3072);
        assertThat(info.signatureAlgorithm()).isEqualTo("SHA256withRSA");
        assertThat(info.selfSigned()).isFalse();
        assertThat(info.sha256()).matches("[0-9A-F]{64}");
        assertThat(info.serialNumber()).isEqualTo(cert.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void selfSignedSha1Rsa1024() throws Exception {
        KeyPair keys = TestCertificates.rsa(1024);
        X509Certificate cert = TestCertificates.certificate("CN=old.example.test", keys.getPublic(), "CN=old.example.test",
                keys.getPrivate(), "SHA1withRSA", BigInteger.TEN, NOT_BEFORE, NOT_AFTER, false);

        CertificateInfo info = Certificates.summary(cert);

        assertThat(info.selfSigned()).isTrue();
        assertThat(info.keySize()).isEqualTo(1024);
        assertThat(info.signatureAlgorithm()).isEqualTo("SHA1withRSA");
        assertThat(info.subjectAltNames()).isEmpty();
    }

    @Test
    void sameNameButForeignSignatureIsNotSelfSigned() throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        KeyPair other = TestCertificates.ec("secp256r1");
        X509Certificate cert = TestCertificates.certificate("CN=twin", keys.getPublic(), "CN=twin", other.getPrivate(),
                "SHA256withECDSA", BigInteger.ONE, NOT_BEFORE, NOT_AFTER, false);
        assertThat(Certificates.summary(cert).selfSigned()).isFalse();
    }

    @Test
    void ecKeySizeIsTheCurveSize() throws Exception {
        KeyPair keys = TestCertificates.ec("secp384r1");
        X509Certificate cert = TestCertificates.certificate("CN=ec", keys.getPublic(), "CN=ec", keys.getPrivate(),
                "SHA384withECDSA", BigInteger.ONE, NOT_BEFORE, NOT_AFTER, true);
        CertificateInfo info = Certificates.summary(cert);
        assertThat(info.keyAlgorithm()).isEqualTo("EC");
        assertThat(info.keySize()).isEqualTo(384);
        assertThat(info.selfSigned()).isTrue();
    }

    @Test
    void ed25519KeySize() throws Exception {
        KeyPair keys;
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            assumeTrue(false, "Ed25519 needs Java 15+");
            return;
        }
        X509Certificate cert = TestCertificates.certificate("CN=ed", keys.getPublic(), "CN=ed", keys.getPrivate(),
                "Ed25519", BigInteger.ONE, NOT_BEFORE, NOT_AFTER, false);
        CertificateInfo info = Certificates.summary(cert);
        assertThat(info.keySize()).isEqualTo(255);
        assertThat(info.selfSigned()).isTrue();
    }

    @Test
    void chainsKeepTheirOrderAndNullIsHarmless() throws Exception {
        TestPki pki = TestPki.create();
        assertThat(Certificates.summaries(Arrays.asList(pki.server, pki.ca)))
                .extracting(CertificateInfo::subject)
                .containsExactly(TestPki.SERVER_SUBJECT, TestPki.CA_SUBJECT);
        assertThat(Certificates.summaries((java.util.List<X509Certificate>) null)).isEmpty();
        CertificateInfo nothing = Certificates.summary((X509Certificate) null);
        assertThat(nothing.subject()).isNull();
        assertThat(nothing.keySize()).isEqualTo(-1);
        assertThat(nothing.subjectAltNames()).isEmpty();
        assertThat(NOT_AFTER.truncatedTo(ChronoUnit.DAYS)).isEqualTo(NOT_AFTER);
    }

    @Test
    void aCertificateSeenAgainIsNotSummarizedAgainAndTheCacheIsBounded() throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        X509Certificate cert = TestCertificates.certificate("CN=again.example.test", keys.getPublic(),
                "CN=again.example.test", keys.getPrivate(), "SHA256withECDSA", BigInteger.valueOf(77), NOT_BEFORE,
                NOT_AFTER, false);
        // The same bytes decoded anew, as a client gets them from each handshake's Certificate message.
        X509Certificate decodedAgain = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(cert.getEncoded()));

        CertificateInfo first = Certificates.summary(cert);
        assertThat(first.selfSigned()).isTrue();
        assertThat(Certificates.summary(decodedAgain)).isSameAs(first);

        for (int i = 0; i <= Certificates.CACHE_SIZE; i++) {
            X509Certificate other = TestCertificates.certificate("CN=h" + i + ".example.test", keys.getPublic(),
                    "CN=ca.example.test", keys.getPrivate(), "SHA256withECDSA", BigInteger.valueOf(1000 + i),
                    NOT_BEFORE, NOT_AFTER, false);
            assertThat(Certificates.summary(other).subject()).isEqualTo("CN=h" + i + ".example.test");
            assertThat(Certificates.cached()).isBetween(1, Certificates.CACHE_SIZE);
        }
    }

    @Test
    void aCertificateMessageSeenAgainIsNeitherDecodedNorHashedAgain() throws Exception {
        TestPki pki = TestPki.create();
        byte[] message = new TlsBytes().vec24(new TlsBytes().vec24(new TlsBytes().bytes(pki.server.getEncoded()))
                .vec24(new TlsBytes().bytes(pki.ca.getEncoded()))).toBytes();

        CertificateMessage<CertificateInfo> first = CertificateMessage.summaries(ByteBuffer.wrap(message), false);
        assertThat(first.parseError()).isNull();
        assertThat(first.certificates()).extracting(CertificateInfo::sha256)
                .containsExactly(Certificates.summary(pki.server).sha256(), Certificates.summary(pki.ca).sha256());
        assertThat(first.certificates().get(0).subject()).isEqualTo(pki.server.getSubjectX500Principal().getName());
        // A second handshake with the same chain: the very same summaries, found by the certificates' bytes.
        CertificateMessage<CertificateInfo> again = CertificateMessage.summaries(ByteBuffer.wrap(message.clone()),
                false);
        assertThat(again.certificates().get(0)).isSameAs(first.certificates().get(0));
        assertThat(again.certificates().get(1)).isSameAs(first.certificates().get(1));
        long allocated = Allocations.steadyState(() -> CertificateMessage.summaries(ByteBuffer.wrap(message), false));
        assertThat(allocated).as("a known chain costs a few small objects, not decoding (kilobytes per certificate)")
                .isLessThan(1024);
    }

    @Test
    void chainsAreNamedByTheirCertificatesInOrder() throws Exception {
        TestPki pki = TestPki.create();
        CertificateInfo leaf = Certificates.summary(pki.server);
        CertificateInfo ca = Certificates.summary(pki.ca);
        String id = Certificates.chainId(java.util.List.of(leaf, ca));
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(Certificates.chainId(java.util.List.of(leaf, ca))).isEqualTo(id);
        assertThat(Certificates.chainId(java.util.List.of(ca, leaf))).isNotEqualTo(id);
        assertThat(Certificates.chainId(java.util.List.of(leaf))).isNotEqualTo(id);
        assertThat(Certificates.chainId(java.util.List.of())).isNull();
    }
}
