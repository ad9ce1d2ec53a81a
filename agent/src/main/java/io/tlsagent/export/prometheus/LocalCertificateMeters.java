package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This JVM's own certificates in the agent's registry: a {@link TlsMeters#CERTIFICATE_EXPIRY} series for each
 * (presented_by its source), and {@link TlsMeters#LOCAL_CERTIFICATES} by source and status, judged at each scrape.
 * {@link #sync} registers what was loaded since the last call; it runs before every scrape, so a key store loaded a
 * moment ago is in the next one. The series stay: a key store loaded once stays this JVM's material.
 */
public final class LocalCertificateMeters {

    private final MeterRegistry registry;
    private final CertificateExpiry.Gauges gauges;
    private final LocalCertificates certificates;
    private final Set<String> registered = new HashSet<>();
    private final Set<KeyMaterialSource> sources = EnumSet.noneOf(KeyMaterialSource.class);

    public LocalCertificateMeters(MeterRegistry registry, LocalCertificates certificates) {
        this.registry = registry;
        this.gauges = CertificateExpiry.micrometer(registry);
        this.certificates = certificates;
    }

    /** Registers the series of the certificates loaded since the last call (and a source's status gauges). */
    public synchronized void sync() {
        List<LocalCertificate> all = certificates.all();
        if (all.size() == registered.size()) {
            return; // nothing new: the set only grows
        }
        for (LocalCertificate c : all) {
            String key = c.source().label() + "/" + c.certificate().sha256();
            if (!registered.add(key)) {
                continue;
            }
            if (c.certificate().notAfter() != null) {
                CertificateExpiry.register(gauges, c.source().label(), c.certificate());
            }
            if (sources.add(c.source())) {
                statusGauges(c.source());
            }
        }
    }

    private void statusGauges(KeyMaterialSource source) {
        for (CertificateStatus status : CertificateStatus.values()) {
            // The state is this object, which the endpoint holds (Micrometer holds a gauge's state weakly).
            Gauge.builder(TlsMeters.LOCAL_CERTIFICATES.meterName(), this,
                            m -> m.certificates.count(source, status, Instant.now()))
                    .description(TlsMeters.LOCAL_CERTIFICATES.description())
                    .tags(TlsMeters.LOCAL_CERTIFICATES.tags(List.of(source.label(), status.label())))
                    .register(registry);
        }
    }
}
