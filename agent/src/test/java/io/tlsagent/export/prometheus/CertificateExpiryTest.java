package io.tlsagent.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlsagent.anatomy.Certificates;
import io.tlsagent.record.Api;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import io.tlsagent.testsupport.TestCertificates;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expiry gauge keeps one series per certificate and never more than its bound. */
class CertificateExpiryTest {

    private static HandshakeRecord seen(CertificateInfo peer) {
        HandshakeAnatomy a = HandshakeAnatomy.builder().peerChain(List.of(peer)).build();
        return HandshakeRecord.builder().timestamp(Instant.now()).role(Role.CLIENT).api(Api.SSL_SOCKET)
                .provider("SunJSSE").anatomy(a).build();
    }

    private static X509Certificate selfSigned(String name, int days) throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        Instant now = Instant.now();
        return TestCertificates.certificate(name, keys.getPublic(), name, keys.getPrivate(), "SHA256withECDSA",
                BigInteger.valueOf(days), now, now.plus(Duration.ofDays(days)), false);
    }

    @Test
    void boundedLeastRecentlySeenEvictedFirst() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CertificateExpiry expiry = new CertificateExpiry(registry, 3);
        CertificateInfo[] certs = new CertificateInfo[5];
        for (int i = 0; i < certs.length; i++) {
            X509Certificate c = selfSigned("CN=cert" + i, i + 1);
            certs[i] = Certificates.summary(c);
        }
        expiry.export(seen(certs[0]));
        expiry.export(seen(certs[1]));
        expiry.export(seen(certs[2]));
        expiry.export(seen(certs[0])); // seen again: now the most recent
        expiry.export(seen(certs[3])); // evicts cert1, the least recently seen
        expiry.export(seen(certs[0])); // already there: no new series

        assertThat(expiry.size()).isEqualTo(3);
        assertThat(registry.find("tls.certificate.expiry.timestamp").gauges()).hasSize(3)
                .extracting(g -> g.getId().getTag("subject"))
                .containsExactlyInAnyOrder("CN=cert0", "CN=cert2", "CN=cert3");
        assertThat(registry.get("tls.certificate.expiry.timestamp").tag("subject", "CN=cert3").gauge().value())
                .isEqualTo((double) certs[3].notAfter().getEpochSecond());
    }
}
