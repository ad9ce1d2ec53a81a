package io.tlsagent.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.record.Api;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import io.tlsagent.record.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This JVM's certificates in the registry: their own series, which the peers' never evict, and a status gauge. */
class LocalCertificateMetersTest {

    private static final Instant NOW = Instant.now();

    private static CertificateInfo cert(String name, int notAfterDays) {
        return CertificateInfo.builder().subject(name).issuer("CN=ca").serialNumber(name.substring(3)).sha256(name)
                .notBefore(NOW.minus(Duration.ofDays(1))).notAfter(NOW.plus(Duration.ofDays(notAfterDays))).build();
    }

    private static HandshakeRecord peerPresented(CertificateInfo peer) {
        return HandshakeRecord.builder().timestamp(NOW).role(Role.CLIENT).api(Api.SSL_SOCKET).provider("SunJSSE")
                .anatomy(HandshakeAnatomy.builder().peerChain(List.of(peer)).build()).build();
    }

    @Test
    void localSeriesSurviveAFloodOfPeersAndTheStatusIsJudgedAtEachRead() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LocalCertificates inventory = new LocalCertificates(14);
        LocalCertificateMeters local = LocalCertificateMeters.micrometer(registry, inventory);
        CertificateExpiry peers = new CertificateExpiry(registry, 2);
        local.sync();
        assertThat(registry.find("tls.local.certificates").gauges()).as("nothing loaded, nothing shown").isEmpty();

        inventory.accept(List.of(new LocalCertificate(KeyMaterialSource.LOCAL_KEYSTORE, cert("CN=five", 5)),
                new LocalCertificate(KeyMaterialSource.LOCAL_KEYSTORE, cert("CN=year", 365))));
        local.sync();
        for (int i = 0; i < 50; i++) {
            peers.export(peerPresented(cert("CN=peer" + i, 30)));
        }
        local.sync(); // nothing new: no second registration

        assertThat(registry.find("tls.certificate.expiry.timestamp").tag("presented_by", "local_keystore").gauges())
                .extracting(g -> g.getId().getTag("subject")).containsExactlyInAnyOrder("CN=five", "CN=year");
        assertThat(registry.find("tls.certificate.expiry.timestamp").tag("presented_by", "peer").gauges()).hasSize(2);
        assertThat(registry.get("tls.certificate.expiry.timestamp").tag("subject", "CN=five").gauge().value())
                .isEqualTo((double) cert("CN=five", 5).notAfter().getEpochSecond());
        assertThat(status(registry, "local_keystore", "expiring")).isEqualTo(1);
        assertThat(status(registry, "local_keystore", "valid")).isEqualTo(1);
        assertThat(status(registry, "local_keystore", "expired")).isZero();
        assertThat(status(registry, "local_keystore", "not_yet_valid")).isZero();
        assertThat(registry.find("tls.local.certificates").gauges()).as("4 statuses of the one source seen")
                .hasSize(4);

        inventory.accept(List.of(new LocalCertificate(KeyMaterialSource.JDK_TRUSTSTORE, cert("CN=root", -1))));
        local.sync();
        assertThat(status(registry, "jdk_truststore", "expired")).isEqualTo(1);
        assertThat(registry.find("tls.local.certificates").gauges()).hasSize(8);
    }

    private static double status(SimpleMeterRegistry registry, String source, String status) {
        return registry.get("tls.local.certificates").tag("source", source).tag("status", status).gauge().value();
    }
}
