package io.tlsagent.export.prometheus;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tlsagent.export.Exporter;
import io.tlsagent.export.meters.TlsMeters;
import io.tlsagent.record.CertificateInfo;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TlsMeters#CERTIFICATE_EXPIRY}: not_after of every distinct certificate seen, answering "what expires in
 * the next 14 days" across everything this JVM talks to. At most {@code maxSeries} series: the least recently
 * seen certificate's series is removed to make room.
 */
public final class CertificateExpiry implements Exporter {

    private static final int MAX_LABEL = 256;

    private final MeterRegistry registry;
    private final Map<Key, Gauge> series;

    /** Who presented a certificate, and its fingerprint. */
    private static final class Key {
        final String presentedBy;
        final String sha256;

        Key(String presentedBy, String sha256) {
            this.presentedBy = presentedBy;
            this.sha256 = sha256;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).presentedBy.equals(presentedBy)
                    && java.util.Objects.equals(((Key) o).sha256, sha256);
        }

        @Override
        public int hashCode() {
            return 31 * presentedBy.hashCode() + java.util.Objects.hashCode(sha256);
        }
    }

    public CertificateExpiry(MeterRegistry registry, int maxSeries) {
        this.registry = registry;
        this.series = new LinkedHashMap<Key, Gauge>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Gauge> eldest) {
                if (size() > maxSeries) {
                    registry.remove(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    @Override
    public void export(HandshakeRecord r) {
        HandshakeAnatomy a = r.anatomy();
        if (a != null) {
            seen("peer", a.peerChain());
            seen("local", a.localChain());
        }
    }

    private synchronized void seen(String presentedBy, List<CertificateInfo> chain) {
        for (int i = 0; i < chain.size(); i++) {
            CertificateInfo c = chain.get(i);
            Key key = new Key(presentedBy, c.sha256());
            if (series.get(key) != null || c.notAfter() == null) {
                continue; // get() also marks it recently seen
            }
            double notAfter = c.notAfter().getEpochSecond();
            series.put(key, Gauge.builder(TlsMeters.CERTIFICATE_EXPIRY.meterName(), () -> notAfter)
                    .description(TlsMeters.CERTIFICATE_EXPIRY.description())
                    .baseUnit("seconds")
                    .tags(Tags.of("presented_by", presentedBy, "subject", label(c.subject()),
                            "issuer", label(c.issuer()), "serial", label(c.serialNumber())))
                    .register(registry));
        }
    }

    synchronized int size() {
        return series.size();
    }

    private static String label(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > MAX_LABEL ? value.substring(0, MAX_LABEL) : value;
    }
}
