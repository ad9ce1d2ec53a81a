package io.tlsagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlsagent.anatomy.CertificateInfo;
import io.tlsagent.record.Api;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The expiry gauge keeps one series per certificate and never more than its bound. */
class CertificateExpiryTest {

    private static HandshakeRecord seen(CertificateInfo peer) {
        HandshakeAnatomy a = new HandshakeAnatomy(null, null, null, null, null, null, null, List.of(peer), List.of(),
                null, null, -1, false, Set.of(), List.of());
        return HandshakeRecord.builder().timestamp(Instant.now()).role(Role.CLIENT).api(Api.SSL_SOCKET)
                .provider("SunJSSE").anatomy(a).build();
    }

    private static X509Certificate selfSigned(String name, int days) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(name),
                BigInteger.valueOf(days), Date.from(now), Date.from(now.plus(Duration.ofDays(days))), new X500Name(name),
                keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    @Test
    void boundedLeastRecentlySeenEvictedFirst() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CertificateExpiry expiry = new CertificateExpiry(registry, 3);
        CertificateInfo[] certs = new CertificateInfo[5];
        for (int i = 0; i < certs.length; i++) {
            X509Certificate c = selfSigned("CN=cert" + i, i + 1);
            certs[i] = CertificateInfo.of(c);
        }
        expiry.onHandshake(seen(certs[0]));
        expiry.onHandshake(seen(certs[1]));
        expiry.onHandshake(seen(certs[2]));
        expiry.onHandshake(seen(certs[0])); // seen again: now the most recent
        expiry.onHandshake(seen(certs[3])); // evicts cert1, the least recently seen
        expiry.onHandshake(seen(certs[0])); // already there: no new series

        assertThat(expiry.size()).isEqualTo(3);
        assertThat(registry.find("tls.certificate.expiry.timestamp").gauges()).hasSize(3)
                .extracting(g -> g.getId().getTag("subject"))
                .containsExactlyInAnyOrder("CN=cert0", "CN=cert2", "CN=cert3");
        assertThat(registry.get("tls.certificate.expiry.timestamp").tag("subject", "CN=cert3").gauge().value())
                .isEqualTo((double) certs[3].notAfter().getEpochSecond());
    }
}
