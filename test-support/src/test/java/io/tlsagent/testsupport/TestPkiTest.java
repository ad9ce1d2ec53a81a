package io.tlsagent.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

    @TempDir
    Path dir;

    @Test
    void certificatesAsTheTestsExpectThem() throws Exception {
        TestPki pki = TestPki.create();
        assertThat(pki.ca.getSubjectX500Principal().getName()).isEqualTo(TestPki.CA_SUBJECT);
        assertThat(pki.server.getSubjectX500Principal().getName()).isEqualTo(TestPki.SERVER_SUBJECT);
        assertThat(pki.server.getIssuerX500Principal().getName()).isEqualTo(TestPki.CA_SUBJECT);
        assertThat(pki.untrusted.getSubjectX500Principal().getName()).isEqualTo(TestPki.UNTRUSTED_SUBJECT);
        assertThat(pki.server.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactly("localhost", "127.0.0.1");
        assertThat(pki.ca.getBasicConstraints()).isNotNegative();
        assertThat(pki.server.getBasicConstraints()).isEqualTo(-1);
        pki.server.verify(pki.ca.getPublicKey());
        long days = (pki.server.getNotAfter().getTime() - System.currentTimeMillis()) / 86_400_000L;
        assertThat(days).isBetween(TestPki.VALIDITY_DAYS - 1L, (long) TestPki.VALIDITY_DAYS);
        assertThat(pki.serverSha256()).matches("[0-9A-F]{64}");
    }

    @Test
    void savedAndLoadedInEveryForm() throws Exception {
        TestPki pki = TestPki.create();
        pki.save(dir);
        TestPki loaded = TestPki.load(dir);
        assertThat(loaded.server).isEqualTo(pki.server);
        assertThat(loaded.ca).isEqualTo(pki.ca);
        assertThat(loaded.untrusted).isEqualTo(pki.untrusted);
        assertThat(loaded.serverKeys.getPrivate()).isEqualTo(pki.serverKeys.getPrivate());

        KeyStore server = TestPki.loadKeyStore(dir.resolve(TestPki.SERVER_KEYSTORE));
        assertThat(java.util.Collections.list(server.aliases())).containsExactly(TestPki.SERVER_ALIAS);
        assertThat(server.getCertificateChain(TestPki.SERVER_ALIAS)).containsExactly(pki.server, pki.ca);

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(dir.resolve(TestPki.SERVER_PEM))) {
            List<java.security.cert.Certificate> chain = List.copyOf(x509.generateCertificates(in));
            assertThat(chain).containsExactly(pki.server, pki.ca);
        }
        try (InputStream in = Files.newInputStream(dir.resolve(TestPki.CA_PEM))) {
            assertThat((X509Certificate) x509.generateCertificate(in)).isEqualTo(pki.ca);
        }
        try (InputStream in = Files.newInputStream(dir.resolve(TestPki.CA_DER))) {
            assertThat((X509Certificate) x509.generateCertificate(in)).isEqualTo(pki.ca);
        }
        String key = Files.readString(dir.resolve(TestPki.SERVER_KEY_PEM));
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = java.util.Base64.getMimeDecoder().decode(key.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(der).isEqualTo(pki.serverKeys.getPrivate().getEncoded());
    }

    @Test
    void contextsTrustWhatTheySay() throws Exception {
        TestPki pki = TestPki.create();
        assertThat(EnginePair.of(pki.clientContext(), pki.serverContext()).run().firstFailure()).isNull();
        EnginePair untrusted = EnginePair.of(pki.clientContext(), pki.untrustedServerContext()).run();
        assertThat(untrusted.clientFailure()).hasMessageContaining("PKIX");
        assertThat(untrusted.serverFailure()).isNotNull();

        // The building blocks: a self-signed server trusted directly, through the JDK's default key manager.
        KeyStore keys = TestPki.keyStore("key", pki.untrustedKeys.getPrivate(), pki.untrusted);
        EnginePair direct = EnginePair.of(TestPki.context(null, null, null, pki.untrusted),
                TestPki.context(keys, "SunX509", null)).handshake();
        assertThat(direct.client.getSession().getPeerCertificates()[0]).isEqualTo(pki.untrusted);
    }
}
