package io.tlsagent.anatomy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.Finding;
import io.tlsagent.testsupport.TestCertificates;
import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FindingsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static CertificateInfo goodLeaf;
    private static CertificateInfo goodCa;

    @BeforeAll
    static void certificates() throws Exception {
        KeyPair ca = TestCertificates.ec("secp256r1");
        KeyPair leaf = TestCertificates.ec("secp256r1");
        goodCa = Certificates.summary(TestCertificates.certificate("CN=CA", ca.getPublic(), "CN=CA", ca.getPrivate(),
                "SHA256withECDSA", BigInteger.ONE, NOT(-365), NOT(3650), true));
        goodLeaf = Certificates.summary(TestCertificates.certificate("CN=leaf", leaf.getPublic(), "CN=CA", ca.getPrivate(),
                "SHA256withECDSA", BigInteger.TEN, NOT(-30), NOT(300), false));
    }

    private static Instant NOT(int days) {
        return NOW.plus(Duration.ofDays(days));
    }

    @Test
    void aModernHandshakeHasNoFindings() {
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", "ecdsa_secp256r1_sha256",
                Arrays.asList(goodLeaf, goodCa), NOW)).isEmpty();
        assertThat(Findings.compute("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "rsa_pss_rsae_sha256",
                Arrays.asList(goodLeaf, goodCa), NOW, 14)).isEmpty();
        assertThat(Findings.compute(null, null, null, null, null)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "SSLv3, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, LEGACY_PROTOCOL",
        "TLSv1, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, LEGACY_PROTOCOL",
        "TLSv1.1, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, LEGACY_PROTOCOL",
        "DTLSv1.0, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, LEGACY_PROTOCOL",
        "TLSv1.2, TLS_RSA_WITH_AES_128_GCM_SHA256, NO_FORWARD_SECRECY",
        "TLSv1.2, TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256, NO_FORWARD_SECRECY",
        "TLSv1.2, TLS_DH_RSA_WITH_AES_256_GCM_SHA384, NO_FORWARD_SECRECY",
        "TLSv1.2, TLS_PSK_WITH_AES_128_GCM_SHA256, NO_FORWARD_SECRECY",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, CBC_CIPHER",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, CBC_CIPHER TRIPLE_DES_CIPHER",
        "TLSv1.2, SSL_RSA_WITH_3DES_EDE_CBC_SHA, NO_FORWARD_SECRECY CBC_CIPHER TRIPLE_DES_CIPHER",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_RC4_128_SHA, RC4_CIPHER",
        "TLSv1, SSL_RSA_WITH_RC4_128_MD5, LEGACY_PROTOCOL NO_FORWARD_SECRECY RC4_CIPHER",
        "TLSv1.2, TLS_ECDHE_ECDSA_WITH_NULL_SHA, NULL_CIPHER",
        "TLSv1.3, TLS_SHA256_SHA256, NULL_CIPHER",
        "TLSv1.2, TLS_RSA_WITH_NULL_SHA256, NO_FORWARD_SECRECY NULL_CIPHER",
        "SSLv3, SSL_RSA_EXPORT_WITH_RC4_40_MD5, LEGACY_PROTOCOL NO_FORWARD_SECRECY RC4_CIPHER EXPORT_CIPHER",
        "SSLv3, SSL_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA, LEGACY_PROTOCOL CBC_CIPHER EXPORT_CIPHER",
        // Anonymous DH is ephemeral: unauthenticated, but forward secret.
        "TLSv1.2, TLS_DH_anon_WITH_AES_128_GCM_SHA256, ''",
        "TLSv1.2, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, ''",
        "TLSv1.3, TLS_CHACHA20_POLY1305_SHA256, ''",
    })
    void protocolAndCipherFindings(String protocol, String suite, String expected) {
        assertThat(Findings.compute(protocol, suite, null, null, NOW)).containsExactlyElementsOf(parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"rsa_pkcs1_sha1", "ecdsa_sha1", "dsa_sha1", "SHA1withRSA"})
    void sha1SignatureScheme(String scheme) {
        assertThat(Findings.compute("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", scheme, null, NOW))
                .containsExactly(Finding.SHA1_SIGNATURE);
    }

    @Test
    void sha1SignedIntermediateCountsButASha1RootDoesNot() throws Exception {
        KeyPair root = TestCertificates.rsa(2048);
        KeyPair mid = TestCertificates.rsa(2048);
        CertificateInfo sha1Root = Certificates.summary(TestCertificates.certificate("CN=Root", root.getPublic(), "CN=Root",
                root.getPrivate(), "SHA1withRSA", BigInteger.ONE, NOT(-1000), NOT(1000), true));
        CertificateInfo sha1Mid = Certificates.summary(TestCertificates.certificate("CN=Mid", mid.getPublic(), "CN=Root",
                root.getPrivate(), "SHA1withRSA", BigInteger.TWO, NOT(-100), NOT(1000), true));

        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, Arrays.asList(goodLeaf, sha1Root), NOW))
                .isEmpty();
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, Arrays.asList(goodLeaf, sha1Mid), NOW))
                .containsExactly(Finding.SHA1_SIGNATURE);
    }

    @Test
    void selfSignedWeakRsaPeer() throws Exception {
        KeyPair keys = TestCertificates.rsa(1024);
        CertificateInfo self = Certificates.summary(TestCertificates.certificate("CN=self", keys.getPublic(), "CN=self",
                keys.getPrivate(), "SHA256withRSA", BigInteger.ONE, NOT(-1), NOT(100), false));

        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, Collections.singletonList(self), NOW))
                .containsExactly(Finding.RSA_KEY_BELOW_2048, Finding.SELF_SIGNED_PEER);
        // Self-signed only counts for the peer's own certificate, not for a root further up.
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, Arrays.asList(goodLeaf, goodCa), NOW))
                .doesNotContain(Finding.SELF_SIGNED_PEER);
    }

    @Test
    void expiryAndTheExpiringWindow() throws Exception {
        CertificateInfo expired = info(NOT(-400), NOT(-1));
        CertificateInfo inTenDays = info(NOT(-300), NOT(10));
        CertificateInfo inTwentyDays = info(NOT(-300), NOT(20));

        assertThat(compute(expired, 14)).containsExactly(Finding.CERTIFICATE_EXPIRED);
        assertThat(compute(inTenDays, 14)).containsExactly(Finding.CERTIFICATE_EXPIRING);
        assertThat(compute(inTwentyDays, 14)).isEmpty();
        assertThat(compute(inTwentyDays, 30)).containsExactly(Finding.CERTIFICATE_EXPIRING);
        assertThat(compute(inTenDays, 0)).isEmpty();
        assertThat(compute(inTenDays, -5)).as("negative counts as 0").isEmpty();
        // The default window is 14 days.
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, Collections.singletonList(inTenDays), NOW))
                .containsExactly(Finding.CERTIFICATE_EXPIRING);
        // An expired CA further up counts too, and the result has each finding once.
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null,
                Arrays.asList(expired, inTenDays, expired), NOW))
                .containsExactly(Finding.CERTIFICATE_EXPIRED, Finding.CERTIFICATE_EXPIRING);
    }

    @Test
    void labelsAreLowerCaseNames() {
        assertThat(Finding.LEGACY_PROTOCOL.label()).isEqualTo("legacy_protocol");
        assertThat(Finding.TRIPLE_DES_CIPHER.label()).isEqualTo("triple_des_cipher");
        assertThat(Finding.SELF_SIGNED_PEER.label()).isEqualTo("self_signed_peer");
        assertThat(Finding.values()).hasSize(12);
    }

    private static Set<Finding> compute(CertificateInfo cert, int days) {
        return Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, Collections.singletonList(cert), NOW, days);
    }

    private static CertificateInfo info(Instant notBefore, Instant notAfter) {
        return CertificateInfo.builder().subject("CN=x").issuer("CN=CA").serialNumber("1").notBefore(notBefore)
                .notAfter(notAfter).keyAlgorithm("EC").keySize(256).signatureAlgorithm("SHA256withECDSA").sha256("00")
                .build();
    }

    private static List<Finding> parse(String names) {
        List<Finding> out = new java.util.ArrayList<>();
        for (String n : names.trim().split(" ")) {
            if (!n.isEmpty()) {
                out.add(Finding.valueOf(n));
            }
        }
        return out;
    }

    @Test
    void theLocalChainIsJudgedForExpiryOnly() throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        CertificateInfo fiveDays = Certificates.summary(TestCertificates.certificate("CN=own", keys.getPublic(),
                "CN=own", keys.getPrivate(), "SHA256withECDSA", BigInteger.valueOf(5), NOT(-10), NOT(5), false));
        CertificateInfo expired = Certificates.summary(TestCertificates.certificate("CN=old", keys.getPublic(),
                "CN=old", keys.getPrivate(), "SHA256withECDSA", BigInteger.valueOf(6), NOT(-10), NOT(-1), false));
        // Self-signed, yet no self_signed_peer: that finding is about the peer.
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, List.of(goodLeaf, goodCa),
                List.of(fiveDays), NOW, 14)).containsExactly(Finding.CERTIFICATE_EXPIRING);
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, List.of(), List.of(expired), NOW,
                14)).containsExactly(Finding.CERTIFICATE_EXPIRED);
        assertThat(Findings.compute("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, List.of(), List.of(fiveDays), NOW,
                4)).isEmpty();
    }

    @ParameterizedTest(name = "{0} to {1} days: {2}")
    @CsvSource({
        "-10, 30, VALID",
        "-10, 15, VALID",
        "-10, 13, EXPIRING",
        "-10, 0, EXPIRING",
        "-10, -1, EXPIRED",
        "1, 30, NOT_YET_VALID",
        "1, 5, NOT_YET_VALID",
    })
    void statusAtATime(int notBeforeDays, int notAfterDays, CertificateStatus expected) {
        CertificateInfo c = CertificateInfo.builder().notBefore(NOT(notBeforeDays)).notAfter(NOT(notAfterDays).plusSeconds(1))
                .build();
        assertThat(Findings.status(c, NOW, 14)).isEqualTo(expected);
    }

    @Test
    void exactlyAtTheBounds() {
        CertificateInfo c = CertificateInfo.builder().notBefore(NOW).notAfter(NOW).build();
        assertThat(Findings.status(c, NOW, 0)).as("valid through notAfter, RFC 5280").isEqualTo(CertificateStatus.VALID);
        assertThat(Findings.status(c, NOW.plusSeconds(1), 0)).isEqualTo(CertificateStatus.EXPIRED);
        assertThat(Findings.status(c, NOW.minusSeconds(1), 0)).isEqualTo(CertificateStatus.NOT_YET_VALID);
        assertThat(Findings.status(CertificateInfo.builder().build(), NOW, 14)).isEqualTo(CertificateStatus.VALID);
    }
}
