package io.tlsagent.export.meters;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import io.tlsagent.util.AgentLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This JVM's certificates: each once per source, bounded on their own, judged at the time asked. */
class LocalCertificatesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static LocalCertificate cert(KeyMaterialSource source, String sha256, int notAfterDays) {
        return new LocalCertificate(source, CertificateInfo.builder().sha256(sha256).notBefore(NOW.minus(Duration.ofDays(30)))
                .notAfter(NOW.plus(Duration.ofDays(notAfterDays))).build());
    }

    @Test
    void oncePerSourceInTheOrderLoaded() {
        LocalCertificates local = new LocalCertificates(14);
        LocalCertificate a = cert(KeyMaterialSource.LOCAL_KEYSTORE, "AA", 5);
        LocalCertificate b = cert(KeyMaterialSource.LOCAL_KEYSTORE, "BB", 100);
        LocalCertificate aTrusted = cert(KeyMaterialSource.LOCAL_TRUSTSTORE, "AA", 5);
        local.accept(List.of(a, b));
        local.accept(List.of(b, a, aTrusted)); // the same store loaded again, and one certificate also trusted
        local.accept(List.of(new LocalCertificate(KeyMaterialSource.LOCAL_KEYSTORE, CertificateInfo.builder().build())));
        assertThat(local.all()).containsExactly(a, b, aTrusted);
        assertThat(local.count(KeyMaterialSource.LOCAL_KEYSTORE, CertificateStatus.EXPIRING, NOW)).isEqualTo(1);
        assertThat(local.count(KeyMaterialSource.LOCAL_KEYSTORE, CertificateStatus.VALID, NOW)).isEqualTo(1);
        assertThat(local.count(KeyMaterialSource.LOCAL_TRUSTSTORE, CertificateStatus.EXPIRING, NOW)).isEqualTo(1);
        assertThat(local.count(KeyMaterialSource.LOCAL_KEYSTORE, CertificateStatus.EXPIRED,
                NOW.plus(Duration.ofDays(6)))).as("judged at the time asked").isEqualTo(1);
    }

    @Test
    void pastTheBoundTheRestIsDroppedCountedAndSaidOnce() {
        LocalCertificates local = new LocalCertificates(2, 14);
        List<String> said = AgentLog.collect(() -> {
            local.accept(List.of(cert(KeyMaterialSource.JDK_TRUSTSTORE, "1", 10), cert(KeyMaterialSource.JDK_TRUSTSTORE, "2", 10),
                    cert(KeyMaterialSource.JDK_TRUSTSTORE, "3", 10)));
            local.accept(List.of(cert(KeyMaterialSource.LOCAL_KEYSTORE, "4", 10)));
        });
        assertThat(local.all()).hasSize(2);
        assertThat(local.dropped()).isEqualTo(2);
        assertThat(said).singleElement().asString().contains("more than 2 certificates");
    }
}
