package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import io.tlsagent.testsupport.TestCertificates;
import io.tlsagent.util.AgentErrors;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What is read of a key store: the key entries' chains always, the trust anchors only when asked. */
class KeyMaterialCaptureTest {

    private static X509Certificate ca;
    private static X509Certificate leaf;
    private static X509Certificate other;
    private static KeyStore store;

    @BeforeAll
    static void keyStore() throws Exception {
        Instant now = Instant.now();
        KeyPair caKeys = TestCertificates.ec("secp256r1");
        ca = TestCertificates.certificate("CN=ca", caKeys.getPublic(), "CN=ca", caKeys.getPrivate(), "SHA256withECDSA",
                BigInteger.ONE, now, now.plus(Duration.ofDays(30)), true);
        KeyPair leafKeys = TestCertificates.ec("secp256r1");
        leaf = TestCertificates.certificate("CN=leaf", leafKeys.getPublic(), "CN=ca", caKeys.getPrivate(),
                "SHA256withECDSA", BigInteger.TWO, now, now.plus(Duration.ofDays(5)), false);
        KeyPair otherKeys = TestCertificates.ec("secp256r1");
        other = TestCertificates.certificate("CN=other", otherKeys.getPublic(), "CN=other", otherKeys.getPrivate(),
                "SHA256withECDSA", BigInteger.TEN, now, now.plus(Duration.ofDays(30)), true);
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("leaf", leafKeys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {leaf, ca});
        store.setCertificateEntry("other", other);
    }

    @Test
    void keyEntriesChainsOnlyForAKeyManagerFactory() {
        List<List<LocalCertificate>> got = new ArrayList<>();
        KeyMaterialCapture capture = new KeyMaterialCapture(got::add, false, new AgentErrors());
        capture.keyManagersInitialized(store);
        capture.keyManagersInitialized(null);
        assertThat(got).as("nothing summarised on the application's thread").isEmpty();
        capture.summarize();
        assertThat(got).singleElement().satisfies(list -> {
            assertThat(list).extracting(LocalCertificate::source).containsOnly(KeyMaterialSource.LOCAL_KEYSTORE);
            assertThat(subjects(list)).containsExactly("CN=leaf", "CN=ca");
        });
    }

    @Test
    void trustAnchorsOnlyWhenAsked() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        List<List<LocalCertificate>> off = new ArrayList<>();
        KeyMaterialCapture notAsked = new KeyMaterialCapture(off::add, false, new AgentErrors());
        notAsked.trustManagersInitialized(tmf, store);
        notAsked.summarize();
        assertThat(off).isEmpty();

        List<List<LocalCertificate>> on = new ArrayList<>();
        KeyMaterialCapture asked = new KeyMaterialCapture(on::add, true, new AgentErrors());
        asked.trustManagersInitialized(tmf, store);
        asked.summarize();
        // What SunJSSE trusts of it: the certificate entry and the key entry's own certificate.
        assertThat(on).singleElement().satisfies(list -> {
            assertThat(list).extracting(LocalCertificate::source).containsOnly(KeyMaterialSource.LOCAL_TRUSTSTORE);
            assertThat(subjects(list)).containsExactlyInAnyOrder("CN=leaf", "CN=other");
        });
        assertThat(subjects(on.get(0))).containsExactlyInAnyOrderElementsOf(
                List.of(((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()).stream()
                        .map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.toList()));
    }

    @Test
    void theDefaultTrustIsTheJdksUnlessATrustStoreIsNamed() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        int anchors = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers().length;
        List<List<LocalCertificate>> got = new ArrayList<>();
        KeyMaterialCapture capture = new KeyMaterialCapture(got::add, true, new AgentErrors());
        capture.trustManagersInitialized(tmf, null);
        capture.summarize();
        assertThat(System.getProperty("javax.net.ssl.trustStore")).isNull();
        assertThat(got).singleElement().satisfies(list -> {
            assertThat(list).hasSize(anchors).extracting(LocalCertificate::source)
                    .containsOnly(KeyMaterialSource.JDK_TRUSTSTORE);
        });
        assertThat(anchors).isGreaterThan(50);
    }

    private static List<String> subjects(List<LocalCertificate> list) {
        return list.stream().map(LocalCertificate::certificate).map(CertificateInfo::subject)
                .collect(Collectors.toList());
    }

    @Test
    void boundedWhileWaitingToBeSummarised() {
        List<List<LocalCertificate>> got = new ArrayList<>();
        KeyMaterialCapture capture = new KeyMaterialCapture(got::add, false, new AgentErrors());
        int stores = KeyMaterialCapture.MAX_PENDING / 2 + 1; // two certificates each
        for (int i = 0; i < stores; i++) {
            capture.keyManagersInitialized(store);
        }
        capture.summarize();
        assertThat(got).singleElement().satisfies(list -> assertThat(list).hasSize(KeyMaterialCapture.MAX_PENDING));
        capture.keyManagersInitialized(store);
        capture.summarize();
        assertThat(got).as("room again once summarised").hasSize(2);
    }
}
