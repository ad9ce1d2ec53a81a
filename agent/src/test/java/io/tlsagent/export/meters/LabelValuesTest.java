package io.tlsagent.export.meters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelValuesTest {

    private final LabelValues labels = new LabelValues();

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello", "DTLSv1.0",
        "DTLSv1.2", "DTLSv1.3"})
    void knownProtocolsPass(String protocol) {
        assertThat(labels.protocol(protocol)).isEqualTo(protocol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NONE", "tlsv1.3", "TLSv1.4", "TLS", "", "TLSv1.3 ", "QUIC"})
    void unknownProtocolsAreOther(String protocol) {
        assertThat(labels.protocol(protocol)).isEqualTo("other");
    }

    @Test
    void nullProtocolIsNone() {
        assertThat(labels.protocol(null)).isEqualTo("none");
    }

    @Test
    void nullCipherSuiteIsNone() {
        assertThat(labels.cipherSuite(null)).isEqualTo("none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        "a-b.c_1"})
    void wellFormedCipherSuitesPass(String suite) {
        assertThat(labels.cipherSuite(suite)).isEqualTo(suite);
        assertThat(labels.cipherSuite(suite)).as("again").isEqualTo(suite);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS AES", "TLS_\"AES\"", "TLS_AES\nrole=\"server\"", "TLS_AES'", "TLS{x}",
        "TLS_AES_128_GCM_SHA256\u0000", "TLS_ÄES"})
    void malformedCipherSuitesAreOther(String suite) {
        assertThat(labels.cipherSuite(suite)).isEqualTo("other");
    }

    @Test
    void overlongCipherSuiteIsOther() {
        assertThat(labels.cipherSuite("A".repeat(64))).isEqualTo("A".repeat(64));
        assertThat(labels.cipherSuite("B".repeat(65))).isEqualTo("other");
    }

    @Test
    void malformedSuitesDoNotUseUpTheBudget() {
        for (int i = 0; i < 500; i++) {
            assertThat(labels.cipherSuite("bad suite " + i)).isEqualTo("other");
        }
        assertThat(labels.cipherSuite("TLS_AES_256_GCM_SHA384")).isEqualTo("TLS_AES_256_GCM_SHA384");
    }

    @Test
    void onlyTheFirst128DistinctCipherSuitesPass() {
        for (int i = 0; i < 128; i++) {
            assertThat(labels.cipherSuite("TLS_SUITE_" + i)).isEqualTo("TLS_SUITE_" + i);
        }

        assertThat(labels.cipherSuite("TLS_SUITE_128")).isEqualTo("other");
        assertThat(labels.cipherSuite("TLS_SUITE_999")).isEqualTo("other");
        // The earlier ones keep their own label.
        for (int i = 0; i < 128; i++) {
            assertThat(labels.cipherSuite("TLS_SUITE_" + i)).isEqualTo("TLS_SUITE_" + i);
        }
        assertThat(labels.cipherSuite(null)).isEqualTo("none");
    }

    @Test
    void repeatsDoNotCountTowardsTheLimit() {
        for (int i = 0; i < 1000; i++) {
            labels.cipherSuite("TLS_AES_128_GCM_SHA256");
        }
        for (int i = 0; i < 127; i++) {
            assertThat(labels.cipherSuite("TLS_SUITE_" + i)).isEqualTo("TLS_SUITE_" + i);
        }
        assertThat(labels.cipherSuite("TLS_SUITE_127")).isEqualTo("other");
    }

    @Test
    void providers() {
        assertThat(labels.provider("SunJSSE")).isEqualTo("SunJSSE");
        assertThat(labels.provider(null)).isEqualTo("other");
        assertThat(labels.provider("Sun JSSE")).isEqualTo("other");
        for (int i = 0; i < 15; i++) {
            assertThat(labels.provider("P" + i)).isEqualTo("P" + i);
        }
        assertThat(labels.provider("OneTooMany")).isEqualTo("other");
        assertThat(labels.provider("SunJSSE")).isEqualTo("SunJSSE");
    }

    @Test
    void cipherSuitesAndProvidersHaveSeparateBudgets() {
        for (int i = 0; i < 128; i++) {
            labels.cipherSuite("TLS_SUITE_" + i);
        }
        assertThat(labels.provider("SunJSSE")).isEqualTo("SunJSSE");
    }
}
