package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlsagent.export.meters.LocalCertificates;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.CertificateStatus;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This JVM's own certificates in a registry: a {@link TlsMeters#CERTIFICATE_EXPIRY} series for each (presented_by its
 * source), and, once a source has a certificate, the {@link TlsMeters#LOCAL_CERTIFICATES} gauges of its four
 * statuses, which read {@link LocalCertificates#count} (judged now) at each scrape. {@link #sync} registers what was
 * loaded since the last call: before every scrape of the agent's endpoint, on each tick of the export thread for an
 * application's registries. The series stay: a key store loaded once stays this JVM's material.
 */
public final class LocalCertificateMeters {

    /** Registers the status gauge of one source and status ({@code tags}: key, value, ...). */
    public interface StatusGauges {
        void register(KeyMaterialSource source, CertificateStatus status, String[] tags);
    }

    private final CertificateExpiry.Gauges expiry;
    private final StatusGauges statuses;
    private final LocalCertificates certificates;
    private final Set<String> registered = new HashSet<>();
    private final Set<KeyMaterialSource> sources = EnumSet.noneOf(KeyMaterialSource.class);

    public LocalCertificateMeters(CertificateExpiry.Gauges expiry, StatusGauges statuses,
            LocalCertificates certificates) {
        this.expiry = expiry;
        this.statuses = statuses;
        this.certificates = certificates;
    }

    /** In a Micrometer registry (the agent's own). */
    public static LocalCertificateMeters micrometer(MeterRegistry registry, LocalCertificates certificates) {
        return new LocalCertificateMeters(CertificateExpiry.micrometer(registry), (source, status, tags) ->
                // The state is the set of certificates, which the capture holds (Micrometer holds it weakly).
                Gauge.builder(TlsMeters.LOCAL_CERTIFICATES.meterName(), certificates,
                                c -> c.count(source, status, java.time.Instant.now()))
                        .description(TlsMeters.LOCAL_CERTIFICATES.description())
                        .tags(tags)
                        .register(registry),
                certificates);
    }

    /** Registers the series of the certificates loaded since the last call (and a new source's status gauges). */
    public synchronized void sync() {
        certificates.refresh();
        List<LocalCertificate> all = certificates.all();
        if (all.size() == registered.size()) {
            return; // nothing new: the set only grows
        }
        for (LocalCertificate c : all) {
            if (!registered.add(c.source().label() + "/" + c.certificate().sha256())) {
                continue;
            }
            if (c.certificate().notAfter() != null) {
                CertificateExpiry.register(expiry, c.source().label(), c.certificate());
            }
            if (sources.add(c.source())) {
                for (CertificateStatus status : CertificateStatus.values()) {
                    statuses.register(c.source(), status, tags(c.source(), status));
                }
            }
        }
    }

    /** The sources that have status gauges (a registry bound later gets theirs). */
    public synchronized Set<KeyMaterialSource> sources() {
        return EnumSet.copyOf(sources);
    }

    public static String[] tags(KeyMaterialSource source, CertificateStatus status) {
        return TlsMeters.LOCAL_CERTIFICATES.tags(List.of(source.label(), status.label()));
    }
}
